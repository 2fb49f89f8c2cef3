import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { verifyAuditLog } from '../../../services/audit/audit.ts';
import { currentCheckpoint, writeCheckpoint } from '../../../services/audit/checkpoints.ts';
import { listAudit } from '../../../store/audit/audit.ts';
import { responses } from '../../schemas.ts';

const Entry = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actor: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  summary: Type.Record(Type.String(), Type.Unknown()),
  requestId: Type.Union([Type.String(), Type.Null()]),
  prevHash: Type.String(),
  hash: Type.String(),
  alg: Type.String({
    description: "'hmac-sha256' (keyed), or 'sha256' for entries before the chain was keyed",
  }),
});

const CheckpointOut = Type.Object({
  format: Type.String(),
  seq: Type.Integer(),
  hash: Type.String(),
  at: Type.String(),
  signature: Type.String(),
});

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
              action: Type.Optional(Type.String({ maxLength: 100 })),
              actor: Type.Optional(Type.String({ maxLength: 100 })),
            },
            { additionalProperties: false },
          ),
          response: responses({ 200: Type.Object({ entries: Type.Array(Entry) }) }),
        },
      },
      async (req) => ({ entries: await listAudit(ctx.store.db, req.query) }),
    );

    app.get(
      '/api/audit/verify',
      {
        config: admin,
        schema: {
          tags: ['audit'],
          summary: 'Re-compute the hash chain and report the first broken entry',
          response: responses({
            200: Type.Object({
              ok: Type.Boolean(),
              checked: Type.Integer(),
              head: Type.Union([Type.Object({ seq: Type.Integer(), hash: Type.String() }), Type.Null()]),
              firstBreak: Type.Union([
                Type.Object({
                  seq: Type.Integer(),
                  reason: Type.String(),
                  expectedSeq: Type.Optional(Type.Integer()),
                }),
                Type.Null(),
              ]),
            }),
          }),
        },
      },
      async () => verifyAuditLog(ctx),
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
