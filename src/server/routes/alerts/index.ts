import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import type { AlertContent } from '../../../domain/alerts/types.ts';
import { ALERT_STATES } from '../../../domain/alerts/types.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { createAlert, startAlert } from '../../../services/alerts/compose.ts';
import { deliveryProgress } from '../../../services/alerts/deliver.ts';
import {
  approveAlert,
  editAlert,
  getAlert,
  listAlertViews,
  presentAlert,
  stepAlert,
} from '../../../services/alerts/lifecycle.ts';
import { draftReach, previewAlert, previewContent } from '../../../services/alerts/preview.ts';
import { cancelNow, sendAlert, startUpdate } from '../../../services/alerts/send.ts';
import { findAlert } from '../../../store/alerts/alerts.ts';
import { actorOf } from '../../plugins/auth.ts';
import { CountryCode, Id, IdParams, literals } from '../../schemas.ts';
import {
  AlertResult,
  alertParamId,
  alertResponses,
  ContentIn,
  ContentOut,
  PreviewOut,
  ProgressOut,
  ReachBody,
  ReachOut,
  SendOut,
  StartBody,
} from './schema.ts';

// TypeBox's static type of the texts record is looser than the domain's (en required): the domain
// validates it (validateAlertContent) before anything is stored.
const asContent = (c: unknown): AlertContent => c as AlertContent;

export function alertRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['alerts'];
    const read = { access: Access.authenticated };
    // Composing: the service checks the issuing post is in the caller's scope.
    const write = { access: Access.roles('admin', 'crisis_manager', 'officer') };
    const onAlert = {
      access: Access.scoped('admin', 'crisis_manager', 'officer'),
      resourceScope: async (req: FastifyRequest) => {
        const a = await findAlert(ctx.store.db, alertParamId(req));
        return a ? { postIds: [a.content.postId], country: a.country } : null;
      },
    };
    const now = () => ctx.clock.now();

    app.post(
      '/api/alerts/reach',
      {
        config: write,
        schema: {
          tags,
          summary:
            'Live reach of a draft area and window: people by precision and reachable contacts per channel (counts only)',
          body: ReachBody,
          response: alertResponses({ 200: Type.Object({ reach: ReachOut }) }),
        },
      },
      async (req) => ({
        reach: await draftReach(ctx, {
          area: req.body.area,
          effective: req.body.effective,
          expires: req.body.expires,
          includeUnknownLocation: req.body.includeUnknownLocation ?? false,
          status: req.body.status ?? 'Actual',
        }),
      }),
    );

    app.post(
      '/api/alerts/start',
      {
        config: write,
        schema: {
          tags,
          summary:
            'Prefilled content for the composer: blank, from an incident (headline and circle) or from a staff movement restriction (its area); nothing is stored',
          body: StartBody,
          response: alertResponses({
            200: Type.Object({ content: ContentOut, source: Type.Union([Type.String(), Type.Null()]) }),
          }),
        },
      },
      async (req) => startAlert(ctx, actorOf(req), req.body),
    );

    app.post(
      '/api/alerts/preview',
      {
        config: write,
        schema: {
          tags,
          summary: 'What each channel and language will show for unsaved content (validated first)',
          body: Type.Object({ content: ContentIn }, { additionalProperties: false }),
          response: alertResponses({ 200: Type.Object({ previews: Type.Array(PreviewOut) }) }),
        },
      },
      async (req) => ({ previews: previewContent(ctx, asContent(req.body.content)) }),
    );

    app.post(
      '/api/alerts',
      {
        config: write,
        schema: {
          tags,
          summary:
            'A new alert draft (validated content; the issuing post becomes its covering post when it cannot serve citizens)',
          body: Type.Object(
            {
              content: ContentIn,
              source: Type.Optional(Type.Union([Type.String({ maxLength: 80 }), Type.Null()])),
            },
            { additionalProperties: false },
          ),
          response: alertResponses({ 201: AlertResult }),
        },
      },
      async (req, reply) => {
        const a = await createAlert(ctx, actorOf(req), {
          content: asContent(req.body.content),
          source: req.body.source ?? null,
        });
        return reply.status(201).send({ alert: presentAlert(a, now()) });
      },
    );

    app.get(
      '/api/alerts',
      {
        config: read,
        schema: {
          tags,
          summary: 'Alerts, newest first (state=pending_approval is the approval queue)',
          querystring: Type.Object(
            {
              state: Type.Optional(literals(ALERT_STATES)),
              country: Type.Optional(CountryCode),
              rootId: Type.Optional(Id),
            },
            { additionalProperties: false },
          ),
          response: alertResponses({
            200: Type.Object({ alerts: Type.Array(AlertResult.properties.alert) }),
          }),
        },
      },
      async (req) => ({
        alerts: await listAlertViews(ctx, {
          ...(req.query.state && { states: [req.query.state] }),
          ...(req.query.country && { country: req.query.country.toUpperCase() }),
          ...(req.query.rootId && { rootId: req.query.rootId }),
        }),
      }),
    );

    app.get(
      '/api/alerts/:id',
      {
        config: read,
        schema: {
          tags,
          summary: 'One alert',
          params: IdParams,
          response: alertResponses({ 200: AlertResult }),
        },
      },
      async (req) => ({ alert: await getAlert(ctx, req.params.id) }),
    );

    app.get(
      '/api/alerts/:id/preview',
      {
        config: read,
        schema: {
          tags,
          summary:
            'What the approver reviews: every channel and language as it will be sent, the reach now, and the contentHash to approve',
          params: IdParams,
          response: alertResponses({
            200: Type.Object({
              contentHash: Type.String(),
              previews: Type.Array(PreviewOut),
              reach: ReachOut,
            }),
          }),
        },
      },
      async (req) => previewAlert(ctx, req.params.id),
    );

    app.get(
      '/api/alerts/:id/deliveries',
      {
        config: read,
        schema: {
          tags,
          summary: 'Delivery progress of a sent alert: its deliveries by state and channel',
          params: IdParams,
          response: alertResponses({ 200: ProgressOut }),
        },
      },
      async (req) => {
        await getAlert(ctx, req.params.id);
        return deliveryProgress(ctx, req.params.id);
      },
    );

    app.put(
      '/api/alerts/:id',
      {
        config: onAlert,
        schema: {
          tags,
          summary: "Replace a draft's content (its contentHash changes; the editor becomes an author)",
          params: IdParams,
          body: Type.Object({ content: ContentIn }, { additionalProperties: false }),
          response: alertResponses({ 200: AlertResult }),
        },
      },
      async (req) => ({
        alert: presentAlert(
          await editAlert(ctx, actorOf(req), req.params.id, asContent(req.body.content)),
          now(),
        ),
      }),
    );

    for (const step of ['submit', 'withdraw', 'reject'] as const) {
      app.post(
        `/api/alerts/:id/${step}`,
        {
          config: onAlert,
          schema: {
            tags,
            summary: {
              submit:
                'Submit a draft: to the approval queue, or approved at once when no second person is needed (drills, cancels, below Severe under the severe-only setting)',
              withdraw: 'Take a pending alert back to draft',
              reject: 'Send a pending alert back to draft',
            }[step],
            params: IdParams,
            response: alertResponses({ 200: AlertResult }),
          },
        },
        async (req) => ({
          alert: presentAlert(await stepAlert(ctx, actorOf(req), req.params.id, step), now()),
        }),
      );
    }

    app.post(
      '/api/alerts/:id/approve',
      {
        config: onAlert,
        schema: {
          tags,
          summary:
            'Approve the exact content and area reviewed (contentHash); never by an author; before the approval window closes',
          params: IdParams,
          body: Type.Object(
            { contentHash: Type.String({ pattern: '^[0-9a-f]{64}$' }) },
            { additionalProperties: false },
          ),
          response: alertResponses({ 200: AlertResult }),
        },
      },
      async (req) => ({
        alert: presentAlert(
          await approveAlert(ctx, actorOf(req), req.params.id, req.body.contentHash),
          now(),
        ),
      }),
    );

    app.post(
      '/api/alerts/:id/send',
      {
        config: onAlert,
        schema: {
          tags,
          summary:
            'Send an approved alert: recipients computed now, handed to the delivery engine with its priority, published if Public',
          params: IdParams,
          response: alertResponses({ 200: SendOut }),
        },
      },
      async (req) => {
        const r = await sendAlert(ctx, actorOf(req), req.params.id);
        return { ...r, alert: presentAlert(r.alert, now()) };
      },
    );

    app.post(
      '/api/alerts/:id/cancel',
      {
        config: onAlert,
        schema: {
          tags,
          summary:
            'One click: a Cancel of this sent alert (referencing it, in all its languages, one person) sent at once to the same recipients',
          params: IdParams,
          response: alertResponses({ 200: SendOut }),
        },
      },
      async (req) => {
        const r = await cancelNow(ctx, actorOf(req), req.params.id);
        return { ...r, alert: presentAlert(r.alert, now()) };
      },
    );

    app.post(
      '/api/alerts/:id/update',
      {
        config: onAlert,
        schema: {
          tags,
          summary: 'Start an Update of this sent alert: a draft referencing it, to edit, approve and send',
          params: IdParams,
          response: alertResponses({ 201: AlertResult }),
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send({ alert: presentAlert(await startUpdate(ctx, actorOf(req), req.params.id), now()) }),
    );
  };
}
