import type { FastifyInstance } from 'fastify';
import type { ParsedMail } from 'mailparser';
import { createEmailChannel } from '../../src/channels/index.ts';
import type { Context } from '../../src/context.ts';
import { buildApp } from '../../src/server/app.ts';
import { drainDeliveries } from '../../src/worker/deliveries.ts';
import { startSmtpServer, type TestSmtpServer } from '../channels/smtp-server.ts';
import { type ApiHarness, createApiHarness } from './api.ts';
import type { Backend } from './context.ts';

/** An API harness whose app sends email to an in-process SMTP server, for flows that go by mail. */
export interface MailApp {
  readonly h: ApiHarness;
  readonly smtp: TestSmtpServer;
  readonly ctx: Context;
  readonly app: FastifyInstance;
  /** Waits (up to 5 s) until `n` messages have reached `address`; returns those that did. */
  mailsTo(address: string, n: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

export async function startMailApp(backend: Backend, env: Record<string, string> = {}): Promise<MailApp> {
  const h = await createApiHarness(backend, env);
  const smtp = await startSmtpServer();
  const channel = createEmailChannel({
    url: smtp.url,
    from: 'Warden <no-reply@warden.example>',
    pool: false,
  });
  const ctx: Context = { ...h.ctx, email: channel };
  const app = await buildApp(ctx);
  await app.ready();
  return {
    h,
    smtp,
    ctx,
    app,
    async mailsTo(address, n) {
      await drainDeliveries(ctx);
      const deadline = Date.now() + 5000;
      for (;;) {
        const got = smtp.messages.filter((_m, i) => smtp.envelopes[i]?.to.includes(address));
        if (got.length >= n || Date.now() > deadline) return got;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      await app.close();
      await channel.close();
      await smtp.close();
      await h.dispose();
    },
  };
}
