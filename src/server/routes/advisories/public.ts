import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { legend, publicDetail, publicListItem } from '../../../domain/advisories/public-view.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { WardenError } from '../../../domain/errors.ts';
import { loadGeography } from '../../../domain/geo/index.ts';
import { advisoriesAtom } from '../../../feeds/atom/advisories.ts';
import { advisoriesGeoJSON } from '../../../feeds/geojson/advisories.ts';
import { ADVISORIES_REVISION, countryCode, countryName } from '../../../services/advisories/editions.ts';
import { countryAdvisory, currentAdvisories } from '../../../services/advisories/read.ts';
import { listPublishedEditions } from '../../../store/advisories/advisories.ts';
import type { CachedResponse } from '../../plugins/public-cache.ts';

/** The Atom feed keeps the newest editions; older ones stay in each country's public history. */
export const ATOM_MAX_ENTRIES = 500;

const names = {
  country: countryName,
  region: (code: string) => loadGeography().region(code)?.name ?? code,
};
const revisions = [ADVISORIES_REVISION];
const tags = ['public'];

/** What each public read serves; built once, not per request (the hot path allocates little). */
function cachedResponses(ctx: Context) {
  const json = 'application/json; charset=utf-8';
  const list: CachedResponse = {
    key: 'advisories:list',
    revisions,
    type: json,
    build: async () => {
      const items = (await currentAdvisories(ctx)).map((a) => publicListItem(a, names));
      items.sort((a, b) => a.name.localeCompare(b.name, 'en'));
      return JSON.stringify({ advisories: items, legend: legend() });
    },
  };
  const atom: CachedResponse = {
    key: 'advisories:atom',
    revisions,
    type: 'application/atom+xml; charset=utf-8',
    build: async () =>
      advisoriesAtom({
        baseUrl: ctx.config.publicUrl,
        editions: await listPublishedEditions(ctx.store.db, ATOM_MAX_ENTRIES),
        countryName,
        emptyUpdated: new Date(0),
      }),
  };
  const geojson: CachedResponse = {
    key: 'advisories:geojson',
    revisions,
    type: 'application/geo+json',
    build: async () => {
      const geo = loadGeography();
      return JSON.stringify(
        advisoriesGeoJSON({
          advisories: await currentAdvisories(ctx),
          countryName,
          countryGeometry: (c) => geo.countryGeometry(c),
          regionGeometry: (r) => geo.regionGeometry(r),
        }),
      );
    },
  };
  const byCountry = new Map<string, CachedResponse>();
  const country = (code: string): CachedResponse => {
    let r = byCountry.get(code);
    if (!r) {
      r = {
        key: `advisories:country:${code}`,
        revisions,
        type: json,
        build: async () => {
          const a = await countryAdvisory(ctx, code);
          if (!a.current) {
            throw new WardenError('not_found', `${countryName(code)} has no published advisory.`, {
              country: code,
            });
          }
          return JSON.stringify({ ...publicDetail(a.current, a.history, names), legend: legend() });
        },
      };
      byCountry.set(code, r);
    }
    return r;
  };
  return { list, atom, geojson, country };
}

/**
 * Public advisories (no sign-in): JSON, Atom and GeoJSON. Every body is built once per revision
 * of the advisories and served from memory with ETag / Last-Modified (304 on revalidation);
 * a publication or review drops it at once.
 */
export function publicAdvisoryRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const open = { access: Access.public };
    // Helmet's page headers (CSP, frame options...) mean nothing on data, and @fastify/helmet
    // rebuilds them on every request: a measurable share of a cached read. The cache sends
    // nosniff and CORS itself.
    const data = { helmet: false as const };
    const cached = cachedResponses(ctx);

    app.get(
      '/api/public/advisories',
      {
        ...data,
        config: open,
        schema: {
          tags,
          summary: 'Every current travel advisory: level, indicators, summary and regional zones',
          description: 'Served with ETag and Last-Modified; conditional requests get 304.',
        },
      },
      (req, reply) => app.publicCache.send(req, reply, cached.list),
    );

    app.get(
      '/api/public/advisories/:country',
      {
        ...data,
        config: open,
        schema: {
          tags,
          summary: "A country's current advisory (Markdown and sanitised HTML) with its published history",
          params: Type.Object({ country: Type.String({ minLength: 1, maxLength: 64 }) }),
        },
      },
      (req, reply) => app.publicCache.send(req, reply, cached.country(countryCode(req.params.country))),
    );

    app.get(
      '/feeds/advisories.atom',
      {
        ...data,
        config: open,
        schema: { tags, summary: 'Atom 1.0 feed: one entry per published advisory edition, newest first' },
      },
      (req, reply) => app.publicCache.send(req, reply, cached.atom),
    );

    app.get(
      '/geo/advisories.geojson',
      {
        ...data,
        config: open,
        schema: {
          tags,
          summary: 'Map layer: one feature per country with a current advisory and one per regional zone',
        },
      },
      (req, reply) => app.publicCache.send(req, reply, cached.geojson),
    );
  };
}
