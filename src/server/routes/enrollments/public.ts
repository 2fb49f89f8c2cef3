import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { blindIndex, normalizePhone } from '../../../domain/privacy/index.ts';
import { enroll, throttlePublic } from '../../../services/enrollments/enrollments.ts';
import {
  eraseMine,
  exportMine,
  loadEnrollmentView,
  openSession,
  requestManageLink,
  travellerOf,
  unsubscribe,
  updateMine,
} from '../../../services/enrollments/self.ts';
import { travellerActor, verifyEmail, verifyPhone } from '../../../services/enrollments/verification.ts';
import { responses } from '../../schemas.ts';
import {
  EnrollmentBody,
  EnrollmentOut,
  EnrollmentPatchBody,
  SessionOut,
  strict,
  Text,
  VerifiedOut,
} from './schema.ts';

/** Wrong codes a number may try per 10 minutes: a million codes, so guessing stays hopeless. */
const PHONE_CODE_ATTEMPTS = 5;

const Pending = Type.Object({ status: Type.Literal('pending_verification') });
const TokenBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 4096 }) }, strict);

/**
 * The traveller's side of enrollment: no staff sign-in. Answers never say whether a contact is
 * already enrolled. Verification links land on the console page /enroll/verify with the token in
 * the URL fragment; the page posts it here (GET ?token= also works, but puts it in request logs).
 */
export function publicEnrollmentRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const config = { access: Access.public };
    const tags = ['public enrollment'];

    app.post(
      '/api/public/enrollments',
      {
        config,
        schema: {
          tags,
          summary:
            'Enroll (name, contacts, emergency contact, consent, trips); always 202 pending_verification',
          body: EnrollmentBody,
          response: responses({ 202: Pending }),
        },
      },
      async (req, reply) => {
        await enroll(ctx, travellerActor(req.id), req.body, req.ip);
        return reply.status(202).send({ status: 'pending_verification' as const });
      },
    );

    app.get(
      '/api/public/verify',
      {
        config,
        schema: {
          tags,
          summary: 'Confirm an email address from its verification link',
          querystring: TokenBody,
          response: responses({ 200: VerifiedOut }),
        },
      },
      async (req) => verifyEmail(ctx, travellerActor(req.id), req.query.token),
    );

    app.post(
      '/api/public/verify',
      {
        config,
        schema: {
          tags,
          summary: 'Confirm an email address (token in the body: kept out of URLs and logs)',
          body: TokenBody,
          response: responses({ 200: VerifiedOut }),
        },
      },
      async (req) => verifyEmail(ctx, travellerActor(req.id), req.body.token),
    );

    app.post(
      '/api/public/verify-phone',
      {
        config,
        schema: {
          tags,
          summary: 'Confirm a phone number with the code of its latest verification SMS',
          body: Type.Object({ phone: Text(64), code: Type.String({ pattern: '^[0-9]{6}$' }) }, strict),
          response: responses({ 200: Type.Object({ status: Type.Literal('verified') }) }),
        },
      },
      async (req) => {
        const normal = normalizePhone(req.body.phone);
        const idx = normal && blindIndex(ctx.privacy.blindIndex, 'phone', normal);
        await throttlePublic(ctx, req.ip, idx ? [idx] : [], { kind: 'code', limit: PHONE_CODE_ATTEMPTS });
        await verifyPhone(ctx, travellerActor(req.id), req.body.phone, req.body.code);
        return { status: 'verified' as const };
      },
    );

    app.post(
      '/api/public/manage-link',
      {
        config,
        schema: {
          tags,
          summary: 'Email a one-time link to manage an enrollment; the same answer whether or not it exists',
          body: Type.Object({ email: Text(254) }, strict),
          response: responses({ 202: Type.Object({ status: Type.Literal('sent_if_enrolled') }) }),
        },
      },
      async (req, reply) => {
        await requestManageLink(ctx, travellerActor(req.id), req.body.email, req.ip);
        return reply.status(202).send({ status: 'sent_if_enrolled' as const });
      },
    );

    app.post(
      '/api/public/me/session',
      {
        config,
        schema: {
          tags,
          summary: 'Exchange a manage link token (once) for a short-lived traveller session token',
          body: TokenBody,
          response: responses({ 200: SessionOut }),
        },
      },
      async (req) => openSession(ctx, travellerActor(req.id), req.body.token),
    );

    // The /me routes authenticate the traveller with `Authorization: Bearer wtr_…` (from
    // /me/session): no cookie, so no CSRF exposure, and staff sessions mean nothing here.
    const me = { tags, headers: Type.Object({ authorization: Type.String({ pattern: '^Bearer ' }) }) };
    const mine = (req: FastifyRequest) => travellerOf(ctx, req.headers.authorization);
    const View = Type.Object({ enrollment: EnrollmentOut });

    app.get(
      '/api/public/me',
      { config, schema: { ...me, summary: 'My enrollment', response: responses({ 200: View }) } },
      async (req) => ({ enrollment: await loadEnrollmentView(ctx, ctx.store.db, await mine(req)) }),
    );

    app.patch(
      '/api/public/me',
      {
        config,
        schema: {
          ...me,
          summary:
            'Change my details, contacts (a new email is verified again) or trips (replaced as a whole)',
          body: EnrollmentPatchBody,
          response: responses({ 200: View }),
        },
      },
      async (req) => {
        const person = await mine(req);
        return { enrollment: await updateMine(ctx, travellerActor(req.id), person, req.body) };
      },
    );

    app.get(
      '/api/public/me/export',
      { config, schema: { ...me, summary: 'Everything stored about me, as JSON' } },
      async (req, reply) => {
        const data = await exportMine(ctx, await mine(req));
        return reply
          .header('content-disposition', 'attachment; filename="warden-enrollment.json"')
          .header('cache-control', 'no-store')
          .send(data);
      },
    );

    app.post(
      '/api/public/me/unsubscribe',
      {
        config,
        schema: {
          ...me,
          summary: 'Stop all messages (the enrollment stays until deleted)',
          response: responses({ 200: Type.Object({ status: Type.Literal('unsubscribed') }) }),
        },
      },
      async (req) => {
        await unsubscribe(ctx, travellerActor(req.id), await mine(req));
        return { status: 'unsubscribed' as const };
      },
    );

    app.delete(
      '/api/public/me',
      {
        config,
        schema: {
          ...me,
          summary: 'Delete my enrollment for good (crypto-shredding)',
          response: responses({ 200: Type.Object({ status: Type.Literal('erased') }) }),
        },
      },
      async (req) => {
        await eraseMine(ctx, travellerActor(req.id), await mine(req));
        return { status: 'erased' as const };
      },
    );
  };
}
