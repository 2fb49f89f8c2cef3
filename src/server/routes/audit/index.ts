import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { verifyAuditLog } from '../../../services/audit/audit.ts';
import { currentCheckpoint, latestCheckpoint, writeCheckpoint } from '../../../services/audit/checkpoints.ts';
import { listAudit } from '../../../store/audit/audit.ts';
import { responses } from '../../schemas.ts';
import { CheckpointOut, Entry, VerifyOut } from './schema.ts';

export function auditRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const admin = { access: Access.roles('admin') };

    app.get(
      '/api/audit',
      {
        config: admin,
        schema: {
          tags: ['audit'],
          summary: 'Audit entries, newest first (page with ?before=<seq>)',
          querystring: Type.Object(
            {
              before: Type.Optional(Type.Integer({ minimum: 1 })),
              limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
              action: Type.Optional(
                Type.String({
                  maxLength: 100,
                  description: "An action, or every action under a prefix ending with '.'",
                }),
              ),
              actor: Type.Optional(
                Type.String({ maxLength: 100, description: "'user:<id>', 'cli', 'system'…" }),
              ),
              target: Type.Optional(
                Type.String({
                  maxLength: 200,
                  description: "A target, or every target of a kind ending with ':'",
                }),
              ),
              since: Type.Optional(Type.String({ format: 'date-time' })),
              until: Type.Optional(Type.String({ format: 'date-time' })),
            },
            { additionalProperties: false },
          ),
          response: responses({ 200: Type.Object({ entries: Type.Array(Entry) }) }),
        },
      },
      async (req) => {
        const { since, until, ...rest } = req.query;
        return {
          entries: await listAudit(ctx.store.db, {
            ...rest,
            ...(since && { since: new Date(since).toISOString() }),
            ...(until && { until: new Date(until).toISOString() }),
          }),
        };
      },
    );

    app.get(
      '/api/audit/verify',
      {
        config: admin,
        schema: {
          tags: ['audit'],
          summary:
            'Re-compute the hash chain and report the first broken entry; also checks the chain still holds the newest written checkpoint',
          response: responses({ 200: VerifyOut }),
        },
      },
      async () => {
        const latest = latestCheckpoint(ctx);
        const result = await verifyAuditLog(ctx, latest ?? undefined);
        return { ...result, latestCheckpoint: latest };
      },
    );

    app.get(
      '/api/audit/checkpoint',
      {
        config: admin,
        schema: {
          tags: ['audit'],
          summary:
            'The chain head now, signed: keep it outside Warden, then `warden audit verify --since-checkpoint` finds entries removed after it',
          response: responses({ 200: Type.Object({ checkpoint: CheckpointOut }) }),
        },
      },
      async () => ({ checkpoint: await currentCheckpoint(ctx) }),
    );

    app.post(
      '/api/audit/checkpoint',
      {
        config: admin,
        schema: {
          tags: ['audit'],
          summary:
            'Write a signed checkpoint of the chain head now (a file under the data directory and a log line)',
          response: responses({ 201: Type.Object({ checkpoint: CheckpointOut, file: Type.String() }) }),
        },
      },
      async (_req, reply) => {
        const { checkpoint, file } = await writeCheckpoint(ctx);
        return reply.status(201).send({ checkpoint, file: path.basename(file) });
      },
    );
  };
}
