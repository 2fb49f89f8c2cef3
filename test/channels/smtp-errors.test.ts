import { describe, expect, it } from 'vitest';
import {
  classifySmtpError,
  createEmailChannel,
  type Outcome,
  smtpQueueId,
} from '../../src/channels/index.ts';
import { startSmtpServer } from './smtp-server.ts';

// nodemailer's error shape: code, command, response, responseCode.
const reasonOf = (o: Outcome): string => ('reason' in o ? o.reason : '');

const smtpError = (code: string, command: string, response: string) =>
  Object.assign(new Error(response), { code, command, response, responseCode: Number(response.slice(0, 3)) });

describe('classifySmtpError', () => {
  it('gives up only on replies about the recipient or the message', () => {
    expect(
      classifySmtpError(smtpError('EENVELOPE', 'RCPT TO', '550 5.1.1 no such user'), 'a@b.org').kind,
    ).toBe('permanent');
    expect(classifySmtpError(smtpError('EMESSAGE', 'DATA', '552 5.3.4 too big'), 'a@b.org').kind).toBe(
      'permanent',
    );
    expect(
      classifySmtpError(smtpError('EENVELOPE', 'RCPT TO', '452 4.2.2 mailbox full'), 'a@b.org').kind,
    ).toBe('transient');
    expect(
      classifySmtpError(smtpError('EENVELOPE', 'RCPT TO', '503 5.5.1 bad sequence'), 'a@b.org').kind,
    ).toBe('transient');
    expect(
      classifySmtpError(smtpError('EENVELOPE', 'MAIL FROM', '553 5.7.1 not allowed'), 'a@b.org').kind,
    ).toBe('transient');
    expect(
      classifySmtpError(smtpError('EAUTH', 'AUTH PLAIN', '535 5.7.8 bad credentials'), 'a@b.org').kind,
    ).toBe('transient');
    expect(
      classifySmtpError(smtpError('ECONNECTION', 'CONN', '421 4.3.2 shutting down'), 'a@b.org').kind,
    ).toBe('transient');
  });

  it('retries errors without an SMTP reply, except an envelope refused before sending', () => {
    const tls = Object.assign(new Error('self-signed certificate'), { code: 'ETLS', command: 'CONN' });
    expect(classifySmtpError(tls, 'a@b.org')).toMatchObject({ kind: 'transient' });
    expect(classifySmtpError('boom', 'a@b.org')).toEqual({ kind: 'transient', reason: 'boom' });
    const api = Object.assign(new Error('No recipients defined'), { code: 'EENVELOPE', command: 'API' });
    expect(classifySmtpError(api, 'a@b.org').kind).toBe('permanent');
  });

  it('keeps the recipient address out of the error text, in any case', () => {
    const r = classifySmtpError(
      smtpError('EENVELOPE', 'RCPT TO', '550 <A.B+x@Example.org> unknown'),
      'a.b+x@example.org',
    );
    expect(reasonOf(r)).toBe('EENVELOPE: 550 <<recipient>> unknown (RCPT TO)');
  });
});

describe('smtpQueueId', () => {
  it.each([
    ['250 2.0.0 Ok: queued as 4DXY1Z2abc', '4DXY1Z2abc'],
    ['250 OK id=1qA2bC-000Abc-3D', '1qA2bC-000Abc-3D'],
    ['250 2.0.0 x8KA1a2b012345 Message accepted for delivery', 'x8KA1a2b012345'],
    ['250 Message queued as <abc@relay>; thanks', '<abc@relay>'],
    ['250 2.0.0 OK  1712345678 d2si123 - gsmtp', '250 2.0.0 OK  1712345678 d2si123 - gsmtp'],
  ])('reads %s', (reply, id) => expect(smtpQueueId(reply)).toBe(id));
});

describe('SMTP authentication', () => {
  it('signs in with credentials from the URL; bad ones are a retryable failure', async () => {
    const smtp = await startSmtpServer({ auth: { user: 'warden', pass: 's3cret' } });
    const good = createEmailChannel({
      url: `smtp://warden:s3cret@127.0.0.1:${smtp.port}`,
      from: 'a@warden.example',
    });
    const bad = createEmailChannel({
      url: `smtp://warden:wrong@127.0.0.1:${smtp.port}`,
      from: 'a@warden.example',
    });
    try {
      expect((await good.send({ id: 'm1', to: 'x@example.org', text: 'hi' })).kind).toBe('sent');
      const r = await bad.send({ id: 'm2', to: 'x@example.org', text: 'hi' });
      expect(r).toMatchObject({ kind: 'transient' });
      expect(reasonOf(r)).toMatch(/EAUTH.*535/);
      expect(reasonOf(r)).not.toContain('wrong');
      expect(smtp.messages).toHaveLength(1);
    } finally {
      await Promise.all([good.close(), bad.close()]);
      await smtp.close();
    }
  });
});
