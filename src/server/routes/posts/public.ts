import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { WardenError } from '../../../domain/errors.ts';
import { loadGeography } from '../../../domain/geo/index.ts';
import type { CoverageAnswer } from '../../../domain/posts/coverage-index.ts';
import { postureAtom } from '../../../feeds/atom/posts.ts';
import { type BuiltIndex, coverageIndex } from '../../../services/posts/coverage.ts';
import { listPostViews, POSTS_REVISION, type PostView } from '../../../services/posts/posts.ts';
import { listPosts } from '../../../store/posts/posts.ts';
import { listRecentPostureChanges } from '../../../store/posts/posture.ts';
import { readRevisions } from '../../../store/revisions.ts';
import { CountryCode, responses } from '../../schemas.ts';

const FEED_ENTRIES = 100;

/** What the public may know of a post: no staff identities, no internal reason. */
function publicPost(p: PostView, names: Map<string, string>, served: ReturnType<typeof servedSummary>) {
  const c = p.posture;
  return {
    id: p.id,
    kind: p.kind,
    name: p.name,
    city: p.city,
    country: p.country,
    location: p.location,
    contact: p.contact,
    district: p.district,
    posture: c && {
      state: c.state,
      departure: c.departure,
      services: c.services,
      effectiveAt: c.effectiveAt,
      reviewBy: c.reviewBy,
      statement: c.statement,
    },
    coverageDelegate: p.coverageDelegateId
      ? { id: p.coverageDelegateId, name: names.get(p.coverageDelegateId) ?? '' }
      : null,
    servedBy: served,
  };
}

function servedSummary(
  a: { post: { id: string; name: string }; serving: boolean; path: readonly { id: string }[] } | undefined,
) {
  return a ? { id: a.post.id, name: a.post.name, serving: a.serving, path: a.path.map((s) => s.id) } : null;
}

function presentCoverage(lat: number, lon: number, a: CoverageAnswer) {
  const s = a.served;
  const district = a.districtPostId;
  return {
    point: { lat, lon },
    country: a.country,
    region: a.region,
    match: a.match,
    post: s
      ? {
          id: s.post.id,
          kind: s.post.kind,
          name: s.post.name,
          city: s.post.city,
          country: s.post.country,
          location: s.post.location,
          contact: s.post.contact,
          state: s.post.state,
        }
      : null,
    serving: s?.serving ?? false,
    districtPost: district && s ? { id: district, name: s.path[0]?.name ?? '' } : null,
    path: s ? s.path : [],
  };
}

/**
 * The coverage answer without its point, serialised and hashed once per distinct answer of one
 * index build (a few thousand at most: one per region or district), not once per request. The
 * ETag is that hash: the point is fixed by the URL, and an ETag only compares answers of one URL.
 */
interface CoverageMemo {
  readonly headers: Readonly<Record<string, string>>;
  readonly lastModifiedMs: number;
  readonly bodies: Map<string, { readonly tail: string; readonly etag: string }>;
}
const coverageMemos = new WeakMap<BuiltIndex, CoverageMemo>();
const MAX_MEMO_BODIES = 20_000;

function coverageMemo(built: BuiltIndex): CoverageMemo {
  let m = coverageMemos.get(built);
  if (!m) {
    const lastModified = new Date(built.updatedAt).toUTCString();
    m = {
      headers: {
        'last-modified': lastModified,
        'cache-control': 'public, max-age=60',
        'access-control-allow-origin': '*',
        'cross-origin-resource-policy': 'cross-origin',
      },
      lastModifiedMs: Date.parse(lastModified),
      bodies: new Map(),
    };
    coverageMemos.set(built, m);
  }
  return m;
}

function coverageTail(m: CoverageMemo, a: CoverageAnswer) {
  const key = `${a.country}|${a.region}|${a.match}|${a.districtPostId}|${a.served?.post.id}`;
  let t = m.bodies.get(key);
  if (!t) {
    const { point: _, ...rest } = presentCoverage(0, 0, a);
    const tail = JSON.stringify(rest).slice(1);
    t = { tail, etag: `"${createHash('sha1').update(tail).digest('base64url')}"` };
    if (m.bodies.size >= MAX_MEMO_BODIES) m.bodies.clear();
    m.bodies.set(key, t);
  }
  return t;
}

/** ETag/Last-Modified/304 for one point's answer; the 304 is decided before any body is built. */
function sendCoverage(
  req: FastifyRequest,
  reply: FastifyReply,
  built: BuiltIndex,
  lat: number,
  lon: number,
): FastifyReply {
  const m = coverageMemo(built);
  const t = coverageTail(m, built.index.lookup(lat, lon));
  reply.headers(m.headers).header('etag', t.etag);
  const inm = req.headers['if-none-match'];
  const ims = req.headers['if-modified-since'];
  const notModified =
    inm !== undefined
      ? inm.split(',').some((x) => x.trim() === t.etag || x.trim() === '*')
      : ims !== undefined && Date.parse(ims) >= m.lastModifiedMs;
  if (notModified) return reply.status(304).send();
  const point = JSON.stringify({ lat, lon });
  return reply.type('application/json; charset=utf-8').send(`{"point":${point},${t.tail}`);
}

export function publicPostRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const cache = app.publicCache;
    const open = { access: Access.public };
    const tags = ['public'];

    app.get(
      '/api/public/posts',
      {
        config: open,
        schema: {
          tags,
          summary: 'Posts with current posture, services, coverage and statement (no sign-in; ETag/304)',
          querystring: Type.Object({ country: Type.Optional(CountryCode) }, { additionalProperties: false }),
          response: responses({ 200: Type.Unknown(), 304: Type.Null() }),
        },
      },
      async (req, reply) => {
        const country = req.query.country ? loadGeography().country(req.query.country)?.code : undefined;
        if (req.query.country && !country) {
          throw new WardenError('unknown_country', `Unknown country "${req.query.country}".`, {
            country: req.query.country,
          });
        }
        return cache.send(req, reply, {
          key: `posts:list:${country ?? '*'}`,
          revisions: [POSTS_REVISION],
          type: 'application/json; charset=utf-8',
          build: async () => {
            const [views, { index }, all] = await Promise.all([
              listPostViews(ctx, { country }),
              coverageIndex(ctx),
              listPosts(ctx.store.db),
            ]);
            const names = new Map(all.map((p) => [p.id, p.name]));
            return JSON.stringify({
              posts: views.map((p) => publicPost(p, names, servedSummary(index.servedFor(p.id)))),
            });
          },
        });
      },
    );

    app.get(
      '/api/public/coverage',
      {
        config: open,
        schema: {
          tags,
          summary:
            'Which post serves this point now (following coverage delegation); post is null where none',
          querystring: Type.Object(
            {
              lat: Type.Number({ minimum: -90, maximum: 90 }),
              lon: Type.Number({ minimum: -180, maximum: 180 }),
            },
            { additionalProperties: false },
          ),
          response: responses({ 200: Type.Unknown(), 304: Type.Null() }),
        },
      },
      async (req, reply) => {
        const { lat, lon } = req.query;
        return sendCoverage(req, reply, await coverageIndex(ctx), lat, lon);
      },
    );

    app.get(
      '/feeds/posts.atom',
      {
        config: open,
        schema: { tags, summary: 'Atom 1.0 feed of posture changes with their statements, newest first' },
      },
      async (req, reply) =>
        cache.send(req, reply, {
          key: 'posts:atom',
          revisions: [POSTS_REVISION],
          type: 'application/atom+xml; charset=utf-8',
          build: async () => {
            const geo = loadGeography();
            const [changes, posts, revs] = await Promise.all([
              listRecentPostureChanges(ctx.store.db, FEED_ENTRIES),
              listPosts(ctx.store.db),
              readRevisions(ctx.store.db, [POSTS_REVISION]),
            ]);
            const byId = new Map(posts.map((p) => [p.id, p]));
            const base = ctx.config.publicUrl;
            return postureAtom(
              changes.flatMap((change) => {
                const post = byId.get(change.postId);
                if (!post) return [];
                const delegate = change.coverageDelegateId ? byId.get(change.coverageDelegateId) : undefined;
                const countryName = geo.country(post.country)?.name ?? post.country;
                return [{ change, post, countryName, delegateName: delegate?.name ?? null }];
              }),
              {
                selfUrl: `${base}/feeds/posts.atom`,
                baseUrl: base,
                updated:
                  revs.get(POSTS_REVISION)?.updatedAt ?? changes[0]?.createdAt ?? new Date(0).toISOString(),
              },
            );
          },
        }),
    );
  };
}
