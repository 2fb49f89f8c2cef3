/**
 * Delivery channels: one interface, one implementation per way of reaching people. The delivery
 * engine (later) owns queuing, retries and receipts; a channel only sends one message once.
 *
 *   interface Channel { kind: 'email' | 'sms' | 'webhook'; send(m): Promise<SendResult>; close() }
 *   OutboundMessage  { id, to, subject?, text, html?, headers? }  (id = idempotency key)
 *   SendResult       { ok, providerId?, permanent?, error? }      (permanent = do not retry)
 *
 *   createEmailChannel({ url: 'smtp://host:port' | 'smtps://…', from, pool?, maxConnections?,
 *                        timeouts?: { connectMs?, greetingMs?, socketMs? } }) -> Channel
 *     SMTP via nodemailer (pooled by default). Message-ID = `<id@from-domain>`, so a retry of the
 *     same delivery is recognisable downstream. `to` is normalised and is the only envelope
 *     recipient. 5xx to RCPT TO / DATA -> permanent; 4xx, 503, sender/auth rejections and
 *     connection errors -> retryable (see classifySmtpError for why). send() never throws.
 */
export { createEmailChannel, type EmailChannelOptions } from './email.ts';
export { classifySmtpError } from './smtp-errors.ts';
export type { Channel, ChannelKind, OutboundMessage, SendResult } from './types.ts';
