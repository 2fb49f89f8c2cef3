import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  parseStatusCallback,
  parseTwilioForm,
  verifyTwilioSignature,
} from '../../../channels/twilio-signature.ts';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { WardenError } from '../../../domain/errors.ts';
import { applySmsStatus } from '../../../services/deliveries/receipts.ts';
import { responses } from '../../schemas.ts';

export const SMS_STATUS_PATH = '/api/hooks/sms/status';
const FORM_LIMIT = 16 * 1024;

/**
 * The SMS provider's status callbacks (Twilio's form POST, signed with X-Twilio-Signature: HMAC-SHA1
 * of the public URL and the sorted parameters under the auth token). Unsigned or forged: 401 and
 * nothing changes. A callback for a message id we never sent is acknowledged and ignored.
 */
export function deliveryHookRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_LIMIT },
      (_req, body, done) => done(null, parseTwilioForm(String(body))),
    );

    app.post(
      SMS_STATUS_PATH,
      {
        config: { access: Access.public },
        schema: {
          tags: ['hooks'],
          summary: 'SMS status callback (Twilio Messages API), verified by X-Twilio-Signature',
          response: responses({ 200: Type.Object({ status: Type.Literal('ok') }) }),
        },
      },
      async (req) => {
        const token = ctx.config.sms?.authToken ?? '';
        const params = (req.body ?? {}) as Record<string, string | string[]>;
        const url = `${ctx.config.publicUrl}${req.url}`;
        const signature = req.headers['x-twilio-signature'];
        if (!verifyTwilioSignature(url, params, typeof signature === 'string' ? signature : undefined, token))
          throw new WardenError('unauthenticated', 'The callback signature is not valid.', {});
        const update = parseStatusCallback(params);
        if (update) await applySmsStatus(ctx, update);
        return { status: 'ok' as const };
      },
    );
  };
}
