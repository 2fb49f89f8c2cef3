import { afterEach, describe, expect, it } from 'vitest';
import { type LocalSinks, startLocalSinks } from '../../src/channels/fakes/index.ts';
import { type Channels, createChannels, generateWebhookSecret } from '../../src/channels/index.ts';

let sinks: LocalSinks | undefined;
let channels: Channels | undefined;
afterEach(async () => {
  await channels?.close();
  await sinks?.close();
  sinks = channels = undefined;
});

describe('createChannels with the local sinks', () => {
  it('builds email, SMS and webhook channels that reach the demo sinks', async () => {
    sinks = await startLocalSinks({
      publicUrl: 'http://127.0.0.1:9/',
      webhookSecret: generateWebhookSecret(),
    });
    channels = createChannels(sinks.settings);
    const [mail, text, hook] = await Promise.all([
      channels.get('email')!.send({ id: 'k-email', to: 'layla@example.org', subject: 'Hi', text: 'Hello' }),
      channels.get('sms')!.send({ id: 'k-sms', to: '+9647801234567', text: 'Hello' }),
      channels.get('webhook')!.send({ id: 'k-hook', to: `${sinks.webhooks.url}/hook`, text: 'Hello' }),
    ]);
    expect([mail.kind, text.kind, hook.kind]).toEqual(['sent', 'sent', 'delivered']);
    await sinks.smtp.waitFor(1);
    expect(sinks.smtp.records[0]!.messageId).toBe('<k-email@warden.demo>');
    expect(sinks.sms.messages[0]).toMatchObject({
      idempotencyToken: 'k-sms',
      statusCallback: 'http://127.0.0.1:9/api/hooks/sms/status',
    });
    expect(sinks.webhooks.requests[0]).toMatchObject({ webhookId: 'k-hook', verified: true });
  });

  it('leaves out what is not configured, and sends through a Messaging Service when From is MG…', () => {
    channels = createChannels({
      publicUrl: 'https://warden.example',
      smtpUrl: null,
      mailFrom: 'x@warden.example',
      sms: {
        providerUrl: 'https://api.twilio.com',
        accountSid: 'AC1',
        authToken: 't',
        from: 'MG0123456789abcdef0123456789abcdef',
      },
      webhook: { allowPrivate: false, allowHttp: false },
    });
    expect(channels.get('email')).toBeUndefined();
    expect(channels.get('sms')?.kind).toBe('sms');
    expect(channels.webhook.kind).toBe('webhook');
  });
});
