import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { type LocalSinks, startLocalSinks } from '../src/channels/fakes/index.ts';
import {
  type Channel,
  createChannels,
  generateWebhookSecret,
  type OutboundMessage,
} from '../src/channels/index.ts';

/**
 * Channel throughput to the local sinks (SMTP sink, fake Twilio, webhook receiver), all in this
 * process, with `inFlight` sends at a time as a worker's batch would. Store-free: the delivery
 * engine's end-to-end figure adds claiming and recording. SMS and webhooks alternate rounds with
 * a baseline (the same POST with plain undici: no signature, no SSRF guard, no segment count),
 * so the ratio is the channel's own cost.
 */
async function pump(n: number, inFlight: number, one: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < n) await one(next++);
    }),
  );
  return performance.now() - t0;
}

const rate = (n: number, ms: number) => `${((n / ms) * 1000).toFixed(0)}/s`;

function check(kind: string, out: { kind: string }) {
  if (out.kind !== 'sent' && out.kind !== 'delivered') throw new Error(`${kind}: ${JSON.stringify(out)}`);
}

async function raw(agent: Agent, url: string, body: string, headers: Record<string, string>) {
  const r = await request(url, { method: 'POST', dispatcher: agent, body, headers });
  await r.body.text();
  if (r.statusCode >= 300) throw new Error(`baseline ${r.statusCode}`);
}

export async function channelsBench(n = 10_000, inFlight = 64, rounds = 3): Promise<void> {
  const secret = generateWebhookSecret();
  const sinks: LocalSinks = await startLocalSinks({
    publicUrl: 'http://127.0.0.1:9',
    webhookSecret: secret,
    parseMail: false,
  });
  // No status callbacks: they would load the same CPU while the next round runs.
  const settings = { ...sinks.settings, sms: { ...sinks.settings.sms!, statusCallbackUrl: '' } };
  const channels = createChannels(settings);
  const agent = new Agent({ connections: 16 });
  const text =
    'Iraq travel advisory: Level 4, Do not travel. Do not travel to Iraq. Trips and stop: https://warden.example/m';
  let seq = 0;
  // A fresh key per send: the fake provider answers a repeated key without doing the work.
  const msg = (to: string): OutboundMessage => ({ id: `bench-${seq++}`, to, subject: 'Advisory', text });
  const smsUrl = `${sinks.sms.url}/2010-04-01/Accounts/${sinks.sms.accountSid}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${sinks.sms.accountSid}:${sinks.sms.authToken}`).toString('base64')}`;
  try {
    const send = (c: Channel, kind: string, to: (i: number) => string) => (i: number) =>
      c.send(msg(to(i))).then((o) => check(kind, o));
    for (let r = 0; r < rounds; r++) {
      const base = r * n * 4;
      const smsMs = await pump(
        n,
        inFlight,
        send(channels.sms!, 'sms', () => '+9647801234567'),
      );
      const smsRaw = await pump(n, inFlight, (i) =>
        raw(
          agent,
          smsUrl,
          new URLSearchParams({ To: '+9647801234567', From: '+15005550006', Body: text }).toString(),
          {
            authorization: auth,
            'content-type': 'application/x-www-form-urlencoded',
            'i-twilio-idempotency-token': `raw-${base + i}`,
          },
        ),
      );
      const hookMs = await pump(
        n,
        inFlight,
        send(channels.webhook, 'webhook', () => `${sinks.webhooks.url}/hook`),
      );
      const hookRaw = await pump(n, inFlight, () =>
        raw(agent, `${sinks.webhooks.url}/hook`, JSON.stringify({ text }), {
          'content-type': 'application/json',
        }),
      );
      const mailMs = await pump(
        n / 2,
        inFlight,
        send(channels.email!, 'email', (i) => `p${i}@example.org`),
      );
      console.log(
        `channels round ${r + 1} (${n} each, ${inFlight} in flight): ` +
          `sms ${rate(n, smsMs)} (baseline ${rate(n, smsRaw)}, ratio ${(smsMs / smsRaw).toFixed(2)}); ` +
          `webhook ${rate(n, hookMs)} (baseline ${rate(n, hookRaw)}, ratio ${(hookMs / hookRaw).toFixed(2)}); ` +
          `email ${rate(n / 2, mailMs)} (pool of 5)`,
      );
    }
  } finally {
    await channels.close();
    await agent.close();
    await sinks.close();
  }
}
