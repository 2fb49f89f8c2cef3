import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import type { OrganisationPrincipal } from '../../../domain/auth/principal.ts';
import { WardenError } from '../../../domain/errors.ts';
import {
  eraseOrganisationPerson,
  readOrganisationPerson,
  upsertOrganisationPerson,
} from '../../../imports/enrollments/one.ts';
import { actorOf } from '../../plugins/auth.ts';
import { responses } from '../../schemas.ts';
import {
  EmergencyContactInput,
  EnrollmentOut,
  Language,
  strict,
  Text,
  TripInput,
} from '../enrollments/schema.ts';
import { receiveEnrollmentCsv } from './index.ts';
import { ImportReportOut } from './schema.ts';

const ExternalId = Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001F\\u007F]+$' });

const PersonBody = Type.Object(
  {
    externalId: ExternalId,
    name: Text(200),
    email: Type.Optional(Text(254)),
    phone: Type.Optional(Text(64)),
    language: Type.Optional(Language),
    emergencyContact: Type.Optional(EmergencyContactInput),
    webhookUrl: Type.Optional(Text(2000)),
    trips: Type.Array(TripInput, { minItems: 1, maxItems: 100 }),
    reEnroll: Type.Optional(
      Type.Boolean({
        description:
          'Enroll again a person who deleted their enrollment themselves (otherwise 409 erased_by_person)',
      }),
    ),
  },
  strict,
);

const orgOf = (req: FastifyRequest): OrganisationPrincipal => {
  if (!req.organisation) throw new WardenError('unauthenticated', 'Use an organisation token.', {});
  return req.organisation;
};

/**
 * An organisation's own API (Bearer wor_… only; staff sessions and tokens are refused): it
 * enrolls, reads and erases the people it enrolled, by its own external id.
 */
export function orgEnrollmentRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['organisation API'];
    const config = { access: Access.organisation };
    const params = Type.Object({ externalId: ExternalId });
    app.addContentTypeParser(['text/csv', 'application/csv'], (_req, payload, done) => done(null, payload));

    app.post(
      '/api/org/enrollments',
      {
        config,
        schema: {
          tags,
          summary: 'Enroll one person, or replace what was sent for them before (by externalId)',
          body: PersonBody,
          response: responses({
            200: Type.Object({ status: Type.String(), id: Type.String(), externalId: Type.String() }),
            201: Type.Object({ status: Type.String(), id: Type.String(), externalId: Type.String() }),
            422: Type.Ref('ErrorBody'),
          }),
        },
      },
      async (req, reply) => {
        const org = orgOf(req);
        const { status, id } = await upsertOrganisationPerson(
          ctx,
          actorOf(req),
          org.organisationId,
          req.body,
        );
        return reply
          .status(status === 'created' ? 201 : 200)
          .send({ status, id, externalId: req.body.externalId.trim() });
      },
    );

    app.post(
      '/api/org/enrollments/import',
      {
        config,
        schema: {
          tags,
          summary: 'Import an enrollment CSV (Content-Type: text/csv), streamed; idempotent by external_id',
          response: responses({ 200: Type.Object({ report: ImportReportOut }) }),
        },
      },
      async (req, reply) => receiveEnrollmentCsv(ctx, req, reply, orgOf(req).organisationId, 'organisation'),
    );

    app.get(
      '/api/org/enrollments/:externalId',
      {
        config,
        schema: {
          tags,
          summary: 'One of your people, as stored (the read is audited)',
          params,
          response: responses({
            200: Type.Object({
              enrollment: Type.Intersect([EnrollmentOut, Type.Object({ externalId: Type.String() })]),
            }),
          }),
        },
      },
      async (req) => ({
        enrollment: await readOrganisationPerson(
          ctx,
          actorOf(req),
          orgOf(req).organisationId,
          req.params.externalId,
        ),
      }),
    );

    app.delete(
      '/api/org/enrollments/:externalId',
      {
        config,
        schema: {
          tags,
          summary:
            'Erase one of your people: their data key is deleted, so nothing of them can be read again',
          params,
          response: responses({ 204: Type.Null() }),
        },
      },
      async (req, reply) => {
        await eraseOrganisationPerson(ctx, actorOf(req), orgOf(req).organisationId, req.params.externalId);
        return reply.status(204).send(null);
      },
    );
  };
}
