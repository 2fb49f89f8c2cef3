import { describe, expect, it } from 'vitest';
import { classifySmtpError, createEmailChannel } from '../../src/channels/index.ts';
import { startSmtpServer } from './smtp-server.ts';

// nodemailer's error shape: code, command, response, responseCode.
const smtpError = (code: string, command: string, response: string) =>
  Object.assign(new Error(response), { code, command, response, responseCode: Number(response.slice(0, 3)) });

describe('classifySmtpError', () => {
  it('gives up only on replies about the recipient or the message', () => {
    expect(
      classifySmtpError(smtpError('EENVELOPE', 'RCPT TO', '550 5.1.1 no such user'), 'a@b.org').permanent,
    ).toBe(true);
    expect(classifySmtpError(smtpError('EMESSAGE', 'DATA', '552 5.3.4 too big'), 'a@b.org').permanent).toBe(
      true,
    );
    expect(
      classifySmtpError(smtpError('EENVELOPE', 'RCPT TO', '452 4.2.2 mailbox full'), 'a@b.org').permanent,
    ).toBe(false);
    expect(
      classifySmtpError(smtpError('EENVELOPE', 'RCPT TO', '503 5.5.1 bad sequence'), 'a@b.org').permanent,
    ).toBe(false);
    expect(
      classifySmtpError(smtpError('EENVELOPE', 'MAIL FROM', '553 5.7.1 not allowed'), 'a@b.org').permanent,
    ).toBe(false);
    expect(
      classifySmtpError(smtpError('EAUTH', 'AUTH PLAIN', '535 5.7.8 bad credentials'), 'a@b.org').permanent,
    ).toBe(false);
    expect(
      classifySmtpError(smtpError('ECONNECTION', 'CONN', '421 4.3.2 shutting down'), 'a@b.org').permanent,
    ).toBe(false);
  });

  it('retries errors without an SMTP reply, except an envelope refused before sending', () => {
    const tls = Object.assign(new Error('self-signed certificate'), { code: 'ETLS', command: 'CONN' });
    expect(classifySmtpError(tls, 'a@b.org')).toMatchObject({ ok: false, permanent: false });
    expect(classifySmtpError('boom', 'a@b.org')).toEqual({ ok: false, permanent: false, error: 'boom' });
    const api = Object.assign(new Error('No recipients defined'), { code: 'EENVELOPE', command: 'API' });
    expect(classifySmtpError(api, 'a@b.org').permanent).toBe(true);
  });

  it('keeps the recipient address out of the error text, in any case', () => {
    const r = classifySmtpError(
      smtpError('EENVELOPE', 'RCPT TO', '550 <A.B+x@Example.org> unknown'),
      'a.b+x@example.org',
    );
    expect(r.error).toBe('EENVELOPE: 550 <<recipient>> unknown (RCPT TO)');
  });
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
      expect((await good.send({ id: 'm1', to: 'x@example.org', text: 'hi' })).ok).toBe(true);
      const r = await bad.send({ id: 'm2', to: 'x@example.org', text: 'hi' });
      expect(r).toMatchObject({ ok: false, permanent: false });
      expect(r.error).toMatch(/EAUTH.*535/);
      expect(r.error).not.toContain('wrong');
      expect(smtp.messages).toHaveLength(1);
    } finally {
      await Promise.all([good.close(), bad.close()]);
      await smtp.close();
    }
  });
});
