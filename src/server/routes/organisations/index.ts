import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { WardenError } from '../../../domain/errors.ts';
import { type EnrollmentImportReport, importEnrollmentsCsv } from '../../../imports/enrollments/import.ts';
import {
  createOrganisation,
  createOrganisationToken,
  getOrganisation,
  listImports,
  listOrganisations,
  revokeOrganisationToken,
  updateOrganisation,
} from '../../../services/organisations/organisations.ts';
import { actorOf } from '../../plugins/auth.ts';
import { responses } from '../../schemas.ts';
import {
  ImportOut,
  ImportReportOut,
  NewTokenOut,
  OrganisationBody,
  OrganisationOut,
  OrganisationPatchBody,
  TokenBody,
} from './schema.ts';

const OrgId = Type.String({ minLength: 1, maxLength: 64 });

const isStream = (b: unknown): b is Readable =>
  typeof b === 'object' && b !== null && typeof (b as Readable).pipe === 'function';

/**
 * Streams a text/csv body into the enrollment import (never buffered: the body limit is counted
 * as it arrives, and a declared Content-Length over it is refused before reading).
 */
export async function receiveEnrollmentCsv(
  ctx: Context,
  req: FastifyRequest,
  reply: FastifyReply,
  organisationId: string,
  via: 'staff' | 'organisation',
): Promise<{ report: EnrollmentImportReport }> {
  const body = req.body as unknown;
  if (!isStream(body)) {
    throw new WardenError('unsupported_media_type', 'Send the enrollment file as text/csv.', {
      expected: 'text/csv',
    });
  }
  const limit = ctx.config.importBodyLimitBytes;
  if (Number(req.headers['content-length'] ?? 0) > limit) {
    reply.header('connection', 'close');
    throw new WardenError('body_too_large', `The file is larger than ${limit} bytes.`, { limit });
  }
  try {
    const report = await importEnrollmentsCsv(ctx, actorOf(req), organisationId, body, {
      via,
      maxBytes: limit,
    });
    return { report };
  } catch (err) {
    // The rest of the body was not read: do not reuse the connection for another request.
    reply.header('connection', 'close');
    throw err;
  }
}

/** Staff manage organisations: create them, issue and revoke their tokens, import for them. */
export function organisationRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['organisations'];
    const config = { access: Access.roles('admin', 'crisis_manager') };
    const params = Type.Object({ id: OrgId });
    app.addContentTypeParser(['text/csv', 'application/csv'], (_req, payload, done) => done(null, payload));

    app.get(
      '/api/organisations',
      {
        config,
        schema: {
          tags,
          summary: 'Organisations that enroll their own people, with their token list and head count',
          response: responses({ 200: Type.Object({ organisations: Type.Array(OrganisationOut) }) }),
        },
      },
      async () => ({ organisations: await listOrganisations(ctx) }),
    );

    app.post(
      '/api/organisations',
      {
        config,
        schema: {
          tags,
          summary: 'Create an organisation (names are unique, case-insensitively)',
          body: OrganisationBody,
          response: responses({ 201: Type.Object({ organisation: OrganisationOut }) }),
        },
      },
      async (req, reply) =>
        reply.status(201).send({ organisation: await createOrganisation(ctx, actorOf(req), req.body) }),
    );

    app.get(
      '/api/organisations/:id',
      {
        config,
        schema: {
          tags,
          summary: 'One organisation',
          params,
          response: responses({ 200: Type.Object({ organisation: OrganisationOut }) }),
        },
      },
      async (req) => ({ organisation: await getOrganisation(ctx, req.params.id) }),
    );

    app.patch(
      '/api/organisations/:id',
      {
        config,
        schema: {
          tags,
          summary: 'Rename, annotate, or disable (its tokens stop working) or re-enable an organisation',
          params,
          body: OrganisationPatchBody,
          response: responses({ 200: Type.Object({ organisation: OrganisationOut }) }),
        },
      },
      async (req) => ({ organisation: await updateOrganisation(ctx, actorOf(req), req.params.id, req.body) }),
    );

    app.post(
      '/api/organisations/:id/tokens',
      {
        config,
        schema: {
          tags,
          summary:
            'Issue an organisation API token (wor_…); the secret is shown once and stored only as a hash',
          params,
          body: TokenBody,
          response: responses({ 201: NewTokenOut }),
        },
      },
      async (req, reply) => {
        const { token, secret } = await createOrganisationToken(
          ctx,
          actorOf(req),
          req.params.id,
          req.body.label,
        );
        return reply.status(201).send({ token, secret });
      },
    );

    app.delete(
      '/api/organisations/:id/tokens/:tokenId',
      {
        config,
        schema: {
          tags,
          summary: 'Revoke an organisation token',
          params: Type.Object({ id: OrgId, tokenId: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: responses({ 204: Type.Null() }),
        },
      },
      async (req, reply) => {
        await revokeOrganisationToken(ctx, actorOf(req), req.params.id, req.params.tokenId);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/organisations/:id/imports',
      {
        // No route bodyLimit: the CSV is streamed and counted against importBodyLimitBytes.
        config,
        schema: {
          tags,
          summary:
            'Import the organisation’s enrollment CSV (Content-Type: text/csv), streamed; idempotent by external_id; per-row report',
          params,
          response: responses({ 200: Type.Object({ report: ImportReportOut }) }),
        },
      },
      async (req, reply) => receiveEnrollmentCsv(ctx, req, reply, req.params.id, 'staff'),
    );

    app.get(
      '/api/organisations/:id/imports',
      {
        config,
        schema: {
          tags,
          summary: 'The organisation’s imports, newest first (counts only)',
          params,
          response: responses({ 200: Type.Object({ imports: Type.Array(ImportOut) }) }),
        },
      },
      async (req) => ({ imports: await listImports(ctx, req.params.id) }),
    );
  };
}
