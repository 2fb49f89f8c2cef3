import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  parseInboundSms,
  parseTwilioForm,
  verifyTwilioSignature,
} from '../../../channels/twilio-signature.ts';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { ANSWER_PURPOSE, CALLBACK_PURPOSE } from '../../../domain/checkins/answer-tokens.ts';
import { WardenError } from '../../../domain/errors.ts';
import type { Actor } from '../../../services/audit/audit.ts';
import { answerByToken, answerPageView, handleInboundSms } from '../../../services/checkins/answers.ts';
import { responses } from '../../schemas.ts';
import { AnswerBody, AnswerOut, AnswerPageOut, CallbackBody, TokenBody } from './schema.ts';

const recipientActor = (requestId: string, label: string): Actor => ({ principal: null, requestId, label });
const FORM_LIMIT = 16 * 1024;
export const INBOUND_SMS_PATH = '/api/hooks/sms/inbound';

/**
 * Answers without an account: the page of the one-click links (the token in the body, never in a
 * query string), an organisation system's callback, and SMS replies through the provider's
 * inbound webhook (Twilio signature checked).
 */
export function publicCheckinRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const config = { access: Access.public };
    const tags = ['public checkins'];
    // Only here: the SMS provider posts forms. Kept as text, so the signature covers what was sent.
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_LIMIT },
      (_req, body, done) => done(null, body),
    );

    app.post(
      '/api/public/checkin/view',
      {
        config,
        schema: {
          tags,
          summary:
            'What a check-in link is for: the alert in the recipient language, and their answer so far',
          body: TokenBody,
          response: responses({ 200: AnswerPageOut }),
        },
      },
      async (req) => answerPageView(ctx, req.body.token),
    );

    app.post(
      '/api/public/checkin',
      {
        config,
        schema: {
          tags,
          summary:
            'Answer "I\'m safe" or "I need help" from a check-in link, with an optional note and location',
          body: AnswerBody,
          response: responses({ 200: AnswerOut }),
        },
      },
      async (req) => {
        const { token, ...body } = req.body;
        return answerByToken(ctx, recipientActor(req.id, 'traveller'), ANSWER_PURPOSE, token, body);
      },
    );

    app.post(
      '/api/public/checkin/callback/:token',
      {
        config,
        schema: {
          tags,
          summary: "An organisation system's answer for one person, to the signed URL of its alert webhook",
          params: Type.Object({ token: Type.String({ minLength: 1, maxLength: 4096 }) }),
          body: CallbackBody,
          response: responses({ 200: AnswerOut }),
        },
      },
      async (req) =>
        answerByToken(ctx, recipientActor(req.id, 'webhook'), CALLBACK_PURPOSE, req.params.token, req.body),
    );

    app.post(
      INBOUND_SMS_PATH,
      {
        config,
        schema: {
          tags,
          summary: 'Inbound SMS from the provider (Twilio form, X-Twilio-Signature): check-in replies',
          headers: Type.Object({ 'x-twilio-signature': Type.Optional(Type.String({ maxLength: 200 })) }),
          produces: ['text/xml'],
          response: responses({ 200: Type.String() }),
        },
      },
      async (req, reply) => {
        if (typeof req.body !== 'string') {
          throw new WardenError('unsupported_media_type', 'Send the provider form.', {
            expected: 'application/x-www-form-urlencoded',
          });
        }
        const params = parseTwilioForm(req.body);
        const url = `${ctx.config.publicUrl.replace(/\/+$/, '')}${INBOUND_SMS_PATH}`;
        const token = ctx.config.sms?.authToken ?? '';
        if (!verifyTwilioSignature(url, params, req.headers['x-twilio-signature'], token)) {
          throw new WardenError('forbidden', 'The request is not signed by the SMS provider.', {});
        }
        const sms = parseInboundSms(params);
        if (!sms)
          throw new WardenError('validation_failed', 'The inbound SMS lacks MessageSid, From or To.', {});
        await handleInboundSms(ctx, recipientActor(req.id, 'sms'), sms);
        // Empty TwiML: no automatic reply (a reply would tell a stranger whether a number is enrolled).
        return reply.type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
      },
    );
  };
}
