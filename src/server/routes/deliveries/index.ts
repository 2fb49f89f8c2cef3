import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import {
  deliveryDetail,
  dropDeliveryByStaff,
  listDeliveryViews,
  messageProgress,
  messageScope,
  retryDelivery,
} from '../../../services/deliveries/staff.ts';
import { findDelivery } from '../../../store/deliveries/deliveries.ts';
import { actorOf } from '../../plugins/auth.ts';
import { responses } from '../../schemas.ts';
import { paramId, postResponses } from '../posts/schema.ts';
import {
  DeliveryDetailOut,
  DeliveryId,
  DeliveryOut,
  DeliveryQuery,
  DropBody,
  ProgressOut,
  ProgressQuery,
} from './schema.ts';

const Params = Type.Object({ id: DeliveryId });

/**
 * Who got what. Scope: a message that concerns a place (a notice's country) is visible to the
 * officers of that place; anything else needs a worldwide scope (admin, crisis manager, an
 * unscoped viewer). Retry and drop are audited.
 */
export function deliveryRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['deliveries'];
    const byQuery = async (req: FastifyRequest) =>
      messageScope(ctx, (req.query as { message?: string }).message);
    const byDelivery = async (req: FastifyRequest) => {
      const d = await findDelivery(ctx.store.db, paramId(req));
      return d ? messageScope(ctx, d.message_ref) : null;
    };

    app.get(
      '/api/deliveries',
      {
        config: {
          access: Access.scoped('admin', 'crisis_manager', 'officer', 'viewer'),
          resourceScope: byQuery,
        },
        schema: {
          tags,
          summary:
            'Deliveries (one per recipient, channel and message), by message, state and channel; paginated by id',
          querystring: DeliveryQuery,
          response: responses({
            200: Type.Object({
              deliveries: Type.Array(DeliveryOut),
              next: Type.Union([Type.String(), Type.Null()]),
            }),
          }),
        },
      },
      async (req) => {
        const q = req.query;
        return listDeliveryViews(ctx, {
          ...(q.message !== undefined && { message: q.message }),
          ...(q.state !== undefined && { status: q.state }),
          ...(q.channel !== undefined && { channel: q.channel }),
          ...(q.after !== undefined && { after: q.after }),
          limit: q.limit ?? 100,
        });
      },
    );

    app.get(
      '/api/deliveries/progress',
      {
        config: {
          access: Access.scoped('admin', 'crisis_manager', 'officer', 'viewer'),
          resourceScope: byQuery,
        },
        schema: {
          tags,
          summary: "A message's delivery progress: counts per state and channel, rate, estimated time left",
          querystring: ProgressQuery,
          response: responses({ 200: ProgressOut }),
        },
      },
      async (req) => messageProgress(ctx, req.query.message),
    );

    app.get(
      '/api/deliveries/:id',
      {
        config: {
          access: Access.scoped('admin', 'crisis_manager', 'officer', 'viewer'),
          resourceScope: byDelivery,
        },
        schema: {
          tags,
          summary: 'One delivery with its attempt history (times, outcomes, provider answers)',
          params: Params,
          response: responses({ 200: DeliveryDetailOut }),
        },
      },
      async (req) => deliveryDetail(ctx, req.params.id),
    );

    app.post(
      '/api/deliveries/:id/retry',
      {
        config: { access: Access.scoped('admin', 'crisis_manager', 'officer'), resourceScope: byDelivery },
        schema: {
          tags,
          summary: 'Send a failed (or waiting) delivery again now, with a fresh set of attempts (audited)',
          params: Params,
          response: postResponses({ 200: DeliveryDetailOut }),
        },
      },
      async (req) => retryDelivery(ctx, actorOf(req), req.params.id),
    );

    app.post(
      '/api/deliveries/:id/drop',
      {
        config: { access: Access.scoped('admin', 'crisis_manager', 'officer'), resourceScope: byDelivery },
        schema: {
          tags,
          summary: 'Drop a delivery that has not left (audited, with the reason)',
          params: Params,
          body: DropBody,
          response: postResponses({ 200: DeliveryDetailOut }),
        },
      },
      async (req) => dropDeliveryByStaff(ctx, actorOf(req), req.params.id, req.body.reason),
    );
  };
}
