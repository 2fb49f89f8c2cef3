import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import type { Actor } from '../../../services/audit/audit.ts';
import { answerRosterCheckin, rosterCheckinView } from '../../../services/rosters/drawdown.ts';
import { responses } from '../../schemas.ts';
import { CheckinBody, CheckinViewOut, TokenBody } from './schema.ts';

const memberActor = (requestId: string): Actor => ({ principal: null, requestId, label: 'roster_member' });

/**
 * Roster check-in: a member of a post's staff says where they are, from the link they were sent
 * (the page /roster-checkin#token=… posts the token here; it never travels in a URL's query).
 */
export function publicRosterRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const config = { access: Access.public };
    const tags = ['public rosters'];

    app.post(
      '/api/public/roster-checkin/view',
      {
        config,
        schema: {
          tags,
          summary: 'What a roster check-in link is for: the post and the status recorded now',
          body: TokenBody,
          response: responses({ 200: CheckinViewOut }),
        },
      },
      async (req) => {
        const v = await rosterCheckinView(ctx, req.body.token);
        return { postName: v.postName, status: v.status.status, location: v.status.location };
      },
    );

    app.post(
      '/api/public/roster-checkin',
      {
        config,
        schema: {
          tags,
          summary: 'Say where I am: departed, relocated (where) or remaining at post',
          body: CheckinBody,
          response: responses({ 200: Type.Object({ status: Type.String(), at: Type.String() }) }),
        },
      },
      async (req) => {
        const e = await answerRosterCheckin(ctx, memberActor(req.id), req.body.token, {
          status: req.body.status,
          location: req.body.location ?? null,
        });
        return { status: e.status, at: e.at };
      },
    );
  };
}
