import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { escapeHtml } from '../../../domain/advisories/markdown.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { TokenError } from '../../../domain/privacy/index.ts';
import { travellerActor } from '../../../services/enrollments/verification.ts';
import { listUnsubscribe } from '../../../services/subscriptions/list-unsubscribe.ts';
import {
  checkListUnsubscribe,
  LIST_UNSUBSCRIBE_PATH,
} from '../../../services/subscriptions/list-unsubscribe-links.ts';
import { responses } from '../../schemas.ts';

const Query = Type.Object({ token: Type.String({ minLength: 1, maxLength: 4096 }) });
const FORM_LIMIT = 4096;

/** A small self-contained page (no script): what a reader sees who opens the link in a browser. */
function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Warden</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1b1f24}
h1{font-size:1.4rem}button{font:inherit;padding:.5rem 1rem;border-radius:4px;border:1px solid #0b5394;background:#0b5394;color:#fff;cursor:pointer}
p.muted{color:#57606a}</style></head>
<body><main data-testid="unsubscribe-page"><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

const wantsHtml = (accept: string | undefined) =>
  !!accept && /text\/html/.test(accept) && !/application\/json/.test(accept);

/**
 * One-click unsubscribe (RFC 8058) for the List-Unsubscribe link of advisory mail. A mail client
 * POSTs `List-Unsubscribe=One-Click` (form-encoded) to the link; a browser GET shows a button
 * that posts the same, and unsubscribes nobody by itself. The token carries the recipient; the
 * answer is the same whatever it was and however often it is used.
 */
export function publicUnsubscribeRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const config = { access: Access.public };
    const tags = ['public subscriptions'];
    // Only here: forms are what a mail client sends; the rest of the API stays JSON. The body
    // says nothing the link does not, so it is read (within a small limit) and set aside.
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data'])
      app.addContentTypeParser(type, { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_req, _body, done) =>
        done(null, {}),
      );

    app.post(
      LIST_UNSUBSCRIBE_PATH,
      {
        config,
        schema: {
          tags,
          summary: 'One-click unsubscribe (RFC 8058) with the token of a List-Unsubscribe link',
          querystring: Query,
          response: responses({ 200: Type.Object({ status: Type.Literal('unsubscribed') }) }),
        },
      },
      async (req, reply) => {
        await listUnsubscribe(ctx, travellerActor(req.id), req.query.token);
        if (wantsHtml(req.headers.accept))
          return reply
            .type('text/html; charset=utf-8')
            .header('cache-control', 'no-store')
            .send(
              page(
                'You are unsubscribed',
                '<p>You will get no more travel advisory messages from us at this address.</p>',
              ),
            );
        return { status: 'unsubscribed' as const };
      },
    );

    app.get(
      LIST_UNSUBSCRIBE_PATH,
      {
        config,
        schema: {
          tags,
          summary:
            'The page behind a List-Unsubscribe link: a button that unsubscribes (GET changes nothing)',
          querystring: Query,
        },
      },
      async (req, reply) => {
        reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
        let who: 'subscriber' | 'traveller';
        try {
          who = checkListUnsubscribe(ctx, req.query.token);
        } catch (err) {
          if (!(err instanceof TokenError)) throw err;
          return reply.status(401).send(page('This link does not work', `<p>${escapeHtml(err.message)}</p>`));
        }
        const what =
          who === 'subscriber'
            ? 'Stop travel advisory messages to this address? Your subscription will be deleted.'
            : 'Stop all messages about your enrollment? Your trips stay on record until you delete them.';
        const action = `${LIST_UNSUBSCRIBE_PATH}?token=${encodeURIComponent(req.query.token)}`;
        return reply.send(
          page(
            'Unsubscribe',
            `<p>${escapeHtml(what)}</p><form method="post" action="${escapeHtml(action)}">` +
              '<input type="hidden" name="List-Unsubscribe" value="One-Click">' +
              '<button type="submit" data-testid="unsubscribe-button">Unsubscribe</button></form>' +
              '<p class="muted">Nothing changes unless you press the button.</p>',
          ),
        );
      },
    );
  };
}
