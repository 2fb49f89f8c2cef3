import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { verifyAuditLog } from '../../../services/audit/audit.ts';
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
  };
}
