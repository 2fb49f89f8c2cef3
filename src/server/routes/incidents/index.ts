import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import type { ResourceScope } from '../../../domain/auth/principal.ts';
import { WardenError } from '../../../domain/errors.ts';
import { loadGeography } from '../../../domain/geo/index.ts';
import { incidentCollection, pointCollection } from '../../../domain/incidents/geojson.ts';
import { incidentsAtom } from '../../../feeds/atom/incidents.ts';
import { importIncidentsCsv } from '../../../imports/incidents/import.ts';
import {
  createIncident,
  type IncidentInput,
  type IncidentPatch,
  incidentAlertSeed,
  incidentVersions,
  requireIncidentView,
  retractIncident,
  searchIncidentMap,
  searchIncidentPoints,
  searchIncidents,
  updateIncident,
} from '../../../services/incidents/incidents.ts';
import { findIncidentRow, linksOf } from '../../../store/incidents/incidents.ts';
import { listPosts } from '../../../store/posts/posts.ts';
import { actorOf } from '../../plugins/auth.ts';
import { CountryCode, IdParams, Nullable } from '../../schemas.ts';
import { paramId, postResponses } from '../posts/schema.ts';
import {
  AlertSeedOut,
  ImportReportOut,
  IncidentBody,
  IncidentOut,
  IncidentPatchBody,
  IncidentVersionOut,
  presentIncident,
  RetractBody,
  searchQuery,
} from './schema.ts';

/**
 * Scope of /api/incidents/:id...: the incident's country and the posts it lies near (an officer of
 * one of those posts may edit it); null when there is no such incident.
 */
async function incidentScope(ctx: Context, req: FastifyRequest): Promise<ResourceScope | null> {
  const row = await findIncidentRow(ctx.store.db, paramId(req));
  if (!row) return null;
  const links = (await linksOf(ctx.store.db, [row.id])).get(row.id) ?? [];
  return { country: row.country, postIds: links.map((l) => l.postId) };
}

const isStream = (b: unknown): b is Readable =>
  typeof b === 'object' && b !== null && typeof (b as Readable).pipe === 'function';

export function incidentRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['incidents'];
    const read = { access: Access.authenticated };
    const writers = Access.roles('admin', 'crisis_manager', 'officer');
    const scopedWrite = {
      access: Access.scoped('admin', 'crisis_manager', 'officer'),
      resourceScope: (req: FastifyRequest) => incidentScope(ctx, req),
    };

    // CSV bodies are streamed to the importer, never buffered (files reach hundreds of MB). Only
    // routes of this plugin see this parser.
    app.addContentTypeParser(['text/csv', 'application/csv'], (_req, payload, done) => done(null, payload));

    app.get(
      '/api/incidents',
      {
        config: read,
        schema: {
          tags,
          summary: 'Search incidents, newest first (retracted ones only with includeRetracted)',
          querystring: searchQuery(1000, 100),
          response: postResponses({
            200: Type.Object({ incidents: Type.Array(IncidentOut), nextCursor: Nullable(Type.String()) }),
          }),
        },
      },
      async (req) => {
        const { incidents, nextCursor } = await searchIncidents(ctx, req.query);
        return { incidents: incidents.map(presentIncident), nextCursor };
      },
    );

    app.get(
      '/api/incidents.geojson',
      {
        config: read,
        schema: {
          tags,
          summary:
            'The same search as GeoJSON points; nextCursor continues it. fields=map: only what a map ' +
            'point needs (id, type, time), the fast form for a map layer',
          querystring: Type.Object(
            {
              ...searchQuery(50_000, 5000).properties,
              fields: Type.Optional(
                Type.Union([Type.Literal('full'), Type.Literal('map')], {
                  description: 'full (default): labels, place, actors, posts; map: id, type, time',
                }),
              ),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => {
        const { fields, ...search } = req.query;
        let body: string;
        if (fields === 'map') {
          const { points, nextCursor } = await searchIncidentPoints(ctx, search);
          body = JSON.stringify(pointCollection(points, nextCursor));
        } else {
          const { incidents, nextCursor } = await searchIncidentMap(ctx, search);
          body = JSON.stringify(incidentCollection(incidents, nextCursor));
        }
        return reply.type('application/geo+json; charset=utf-8').send(body);
      },
    );

    app.post(
      '/api/incidents',
      {
        config: { access: writers },
        schema: {
          tags,
          summary:
            "Log an incident; country and region come from its point, which must be in the caller's scope",
          body: IncidentBody,
          response: postResponses({ 201: Type.Object({ incident: IncidentOut }) }),
        },
      },
      async (req, reply) => {
        const incident = await createIncident(ctx, actorOf(req), req.body as IncidentInput);
        return reply.status(201).send({ incident: presentIncident(incident) });
      },
    );

    app.post(
      '/api/incidents/import',
      {
        // No route bodyLimit: Fastify does not apply it to a streamed body, and JSON sent here keeps
        // the default limit; the importer counts the CSV's bytes against importBodyLimitBytes.
        config: { access: writers },
        schema: {
          tags,
          summary:
            'Import an ACLED CSV (Content-Type: text/csv), streamed; idempotent by event_id_cnty; returns a per-row report',
          querystring: Type.Object(
            { dryRun: Type.Optional(Type.Boolean()) },
            { additionalProperties: false },
          ),
          response: postResponses({ 200: Type.Object({ report: ImportReportOut }) }),
        },
      },
      async (req, reply) => {
        const body = req.body as unknown;
        if (!isStream(body)) {
          throw new WardenError('unsupported_media_type', 'Send the ACLED file as text/csv.', {
            expected: 'text/csv',
          });
        }
        const limit = ctx.config.importBodyLimitBytes;
        if (Number(req.headers['content-length'] ?? 0) > limit) {
          throw new WardenError('body_too_large', `The file is larger than ${limit} bytes.`, { limit });
        }
        try {
          const report = await importIncidentsCsv(ctx, actorOf(req), body, {
            dryRun: req.query.dryRun ?? false,
            maxBytes: limit,
          });
          return { report };
        } catch (err) {
          // The rest of the body was not read: do not reuse the connection for another request.
          reply.header('connection', 'close');
          throw err;
        }
      },
    );

    app.get(
      '/api/incidents/:id',
      {
        config: read,
        schema: {
          tags,
          summary: 'One incident with its actors and nearby posts',
          params: IdParams,
          response: postResponses({ 200: Type.Object({ incident: IncidentOut }) }),
        },
      },
      async (req) => ({ incident: presentIncident(await requireIncidentView(ctx, req.params.id)) }),
    );

    app.patch(
      '/api/incidents/:id',
      {
        config: scopedWrite,
        schema: {
          tags,
          summary:
            'Edit an incident (the previous state is kept as a version); `version` guards against lost updates',
          params: IdParams,
          body: IncidentPatchBody,
          response: postResponses({ 200: Type.Object({ incident: IncidentOut }) }),
        },
      },
      async (req) => ({
        incident: presentIncident(
          await updateIncident(ctx, actorOf(req), req.params.id, req.body as IncidentPatch),
        ),
      }),
    );

    app.post(
      '/api/incidents/:id/retract',
      {
        config: scopedWrite,
        schema: {
          tags,
          summary: 'Retract an incident (soft deletion with a reason; hidden from searches and trends)',
          params: IdParams,
          body: RetractBody,
          response: postResponses({ 200: Type.Object({ incident: IncidentOut }) }),
        },
      },
      async (req) => ({
        incident: presentIncident(await retractIncident(ctx, actorOf(req), req.params.id, req.body.reason)),
      }),
    );

    app.get(
      '/api/incidents/:id/versions',
      {
        config: read,
        schema: {
          tags,
          summary: 'Previous states of an incident, newest first',
          params: IdParams,
          response: postResponses({
            200: Type.Object({ versions: Type.Array(IncidentVersionOut) }),
          }),
        },
      },
      async (req) => ({
        versions: (await incidentVersions(ctx, req.params.id)).map((v) => ({
          version: v.version,
          replacedAt: v.replacedAt,
          replacedBy: v.replacedBy,
          state: v.state as unknown as Record<string, unknown>,
        })),
      }),
    );

    app.get(
      '/api/incidents/:id/alert-seed',
      {
        config: read,
        schema: {
          tags,
          summary: 'What an alert draft about this incident starts from: area, time, headline, description',
          params: IdParams,
          response: postResponses({
            200: AlertSeedOut,
          }),
        },
      },
      async (req) => incidentAlertSeed(ctx, req.params.id),
    );

    app.get(
      '/feeds/incidents.atom',
      {
        config: read,
        schema: {
          tags,
          summary: 'Atom feed of incidents for staff (sign in, or Authorization: Bearer <API token>)',
          querystring: Type.Object(
            {
              country: Type.Optional(CountryCode),
              type: Type.Optional(Type.String({ maxLength: 1000 })),
              limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => {
        const geo = loadGeography();
        const [{ incidents }, posts] = await Promise.all([
          searchIncidents(ctx, req.query),
          listPosts(ctx.store.db),
        ]);
        const regions = new Set(incidents.flatMap((i) => (i.region ? [i.region] : [])));
        const base = ctx.config.publicUrl;
        const xml = incidentsAtom(incidents, {
          selfUrl: `${base}${req.url}`,
          baseUrl: base,
          now: new Date(ctx.clock.now()).toISOString(),
          countryNames: new Map(geo.countries().map((c) => [c.code, c.name])),
          regionNames: new Map([...regions].map((r) => [r, geo.region(r)?.name ?? r])),
          postNames: new Map(posts.map((p) => [p.id, p.name])),
        });
        return reply
          .header('cache-control', 'private, no-cache')
          .type('application/atom+xml; charset=utf-8')
          .send(xml);
      },
    );
  };
}
