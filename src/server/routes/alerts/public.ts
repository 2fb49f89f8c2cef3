import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { WardenError } from '../../../domain/errors.ts';
import { CAP_CONTENT_TYPE } from '../../../feeds/cap/alert.ts';
import {
  getPublicAlert,
  listPublicAlertViews,
  publicAlertCap,
  publicAlertsAtom,
} from '../../../services/alerts/public.ts';
import { ALERTS_REVISION } from '../../../services/alerts/send.ts';
import type { CachedResponse } from '../../plugins/public-cache.ts';
import { CountryCode, Id } from '../../schemas.ts';

/*
 * Public alerts (no sign-in): JSON list and item, CAP 1.2 XML at a stable URL per message, and the
 * Atom feed. Sent Public messages only; anything else is 404 without saying why. Every body comes
 * from the public cache with ETag / Last-Modified; lists that depend on the time ("active now")
 * are keyed by the minute, and the previous minute's body is dropped.
 */

const revisions = [ALERTS_REVISION];
const json = 'application/json; charset=utf-8';
const tags = ['public'];

const minute = (d: Date): string => d.toISOString().slice(0, 16);

export function publicAlertRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const open = { access: Access.public };
    const data = { helmet: false as const };
    const byKey = new Map<string, CachedResponse>();
    const cached = (key: string, type: string, build: () => Promise<string>): CachedResponse => {
      let r = byKey.get(key);
      if (!r) {
        r = { key, revisions, type, build };
        byKey.set(key, r);
      }
      return r;
    };
    // Time-bucketed keys of the last minute, forgotten when a new minute starts.
    let bucket = '';
    const timed = new Set<string>();
    const rollBucket = (now: string) => {
      if (now === bucket) return;
      for (const k of timed) {
        app.publicCache.forget(k);
        byKey.delete(k);
      }
      timed.clear();
      bucket = now;
    };

    app.get(
      '/api/public/alerts',
      {
        ...data,
        config: open,
        schema: {
          tags,
          summary:
            'Sent public alerts (Alert, Update, Cancel), newest first; filter by country and by a time they are in force at',
          description:
            '`at=now` or an ISO 8601 time lists only messages in force then (sent, not replaced, not a Cancel, within effective..expires). ETag and Last-Modified; conditional requests get 304.',
          querystring: Type.Object(
            {
              country: Type.Optional(CountryCode),
              at: Type.Optional(Type.String({ maxLength: 40 })),
            },
            { additionalProperties: false },
          ),
        },
      },
      (req, reply) => {
        const country = req.query.country?.toUpperCase();
        const nowParam = req.query.at === 'now';
        const at = req.query.at === undefined || nowParam ? undefined : new Date(req.query.at);
        if (at && Number.isNaN(at.getTime())) {
          throw new WardenError('validation_failed', '`at` is "now" or an ISO 8601 time.', { field: 'at' });
        }
        // "Now" is one body per minute (built with the time of its first request, dropped when
        // an alert is sent); an explicit time is its own key, kept until the minute ends.
        const stamp = nowParam ? `now:${minute(ctx.clock.now())}` : at ? at.toISOString() : 'all';
        const key = `alerts:list:${country ?? '*'}:${stamp}`;
        if (stamp !== 'all') {
          rollBucket(minute(ctx.clock.now()));
          timed.add(key);
        }
        const activeAt = (): Date | undefined => (nowParam ? ctx.clock.now() : at);
        return app.publicCache.send(
          req,
          reply,
          cached(key, json, async () =>
            JSON.stringify({
              alerts: await listPublicAlertViews(ctx, { ...(country && { country }), activeAt: activeAt() }),
            }),
          ),
        );
      },
    );

    app.get(
      '/api/public/alerts/:id',
      {
        ...data,
        config: open,
        schema: {
          tags,
          summary:
            'One sent public message: its content in every language, area, state and links (CAP, page)',
          params: Type.Object({ id: Id }),
        },
      },
      (req, reply) =>
        app.publicCache.send(
          req,
          reply,
          cached(`alerts:one:${req.params.id}`, json, async () =>
            JSON.stringify({ alert: await getPublicAlert(ctx, req.params.id) }),
          ),
        ),
    );

    app.get(
      '/cap/alerts/:id.xml',
      {
        ...data,
        config: open,
        schema: {
          tags,
          summary: 'The CAP 1.2 message of a sent public alert, update or cancel (stable URL)',
          params: Type.Object({ id: Id }),
        },
      },
      (req, reply) =>
        app.publicCache.send(
          req,
          reply,
          cached(`alerts:cap:${req.params.id}`, `${CAP_CONTENT_TYPE}; charset=utf-8`, () =>
            publicAlertCap(ctx, req.params.id),
          ),
        ),
    );

    app.get(
      '/feeds/alerts.atom',
      {
        ...data,
        config: open,
        schema: {
          tags,
          summary: 'Atom 1.0 feed of sent public alerts, each entry linking its CAP message and page',
        },
      },
      (req, reply) =>
        app.publicCache.send(
          req,
          reply,
          cached('alerts:atom', 'application/atom+xml; charset=utf-8', () => publicAlertsAtom(ctx)),
        ),
    );
  };
}
