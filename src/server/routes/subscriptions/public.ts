import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { travellerActor } from '../../../services/enrollments/verification.ts';
import {
  bearerToken,
  mySubscription,
  requestSubscriptionLink,
  subscribe,
  unsubscribeSubscription,
  updateMySubscription,
  verifySubscription,
} from '../../../services/subscriptions/subscriptions.ts';
import { responses } from '../../schemas.ts';
import { strict, Text } from '../enrollments/schema.ts';
import { SubscriptionBody, SubscriptionOut, SubscriptionPatchBody, TokenBody } from './schema.ts';

/**
 * Advisory subscriptions without a trip (as GOV.UK offers). No staff sign-in; answers never say
 * whether an address is subscribed. Links land on the web pages /subscribe/verify and
 * /subscribe/manage with the token in the URL fragment; the pages post it here. The manage token
 * authenticates /me as `Authorization: Bearer <token>`.
 */
export function publicSubscriptionRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const config = { access: Access.public };
    const tags = ['public subscriptions'];

    app.post(
      '/api/public/subscriptions',
      {
        config,
        schema: {
          tags,
          summary: 'Subscribe an email to the advisories of some countries; always 202 pending_verification',
          body: SubscriptionBody,
          response: responses({ 202: Type.Object({ status: Type.Literal('pending_verification') }) }),
        },
      },
      async (req, reply) => {
        await subscribe(ctx, travellerActor(req.id), req.body, req.ip);
        return reply.status(202).send({ status: 'pending_verification' as const });
      },
    );

    app.post(
      '/api/public/subscriptions/verify',
      {
        config,
        schema: {
          tags,
          summary: 'Confirm a subscription from its verification link (double opt-in)',
          body: TokenBody,
          response: responses({
            200: Type.Object({
              status: Type.Union([Type.Literal('verified'), Type.Literal('already_verified')]),
            }),
          }),
        },
      },
      async (req) => verifySubscription(ctx, travellerActor(req.id), req.body.token),
    );

    app.post(
      '/api/public/subscriptions/manage-link',
      {
        config,
        schema: {
          tags,
          summary: 'Email a link to manage a subscription; the same answer whether or not it exists',
          body: Type.Object({ email: Text(254) }, strict),
          response: responses({ 202: Type.Object({ status: Type.Literal('sent_if_subscribed') }) }),
        },
      },
      async (req, reply) => {
        await requestSubscriptionLink(ctx, travellerActor(req.id), req.body.email, req.ip);
        return reply.status(202).send({ status: 'sent_if_subscribed' as const });
      },
    );

    app.post(
      '/api/public/subscriptions/unsubscribe',
      {
        config,
        schema: {
          tags,
          summary: 'Unsubscribe with the token of any message: the subscription is deleted',
          body: TokenBody,
          response: responses({ 200: Type.Object({ status: Type.Literal('unsubscribed') }) }),
        },
      },
      async (req) => {
        await unsubscribeSubscription(ctx, travellerActor(req.id), req.body.token);
        return { status: 'unsubscribed' as const };
      },
    );

    const me = {
      tags,
      headers: Type.Object({ authorization: Type.String({ pattern: '^Bearer ', maxLength: 4200 }) }),
    };

    app.get(
      '/api/public/subscriptions/me',
      {
        config,
        schema: {
          ...me,
          summary: 'My subscription (manage token as Bearer)',
          response: responses({ 200: SubscriptionOut }),
        },
      },
      async (req, reply) => {
        const subscription = await mySubscription(ctx, bearerToken(req.headers.authorization));
        return reply.header('cache-control', 'no-store').send({ subscription });
      },
    );

    app.patch(
      '/api/public/subscriptions/me',
      {
        config,
        schema: {
          ...me,
          summary: 'Change my countries, frequency or language',
          body: SubscriptionPatchBody,
          response: responses({ 200: SubscriptionOut }),
        },
      },
      async (req) => ({
        subscription: await updateMySubscription(
          ctx,
          travellerActor(req.id),
          bearerToken(req.headers.authorization),
          req.body,
        ),
      }),
    );
  };
}
