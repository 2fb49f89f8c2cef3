import { describe, expect, it } from 'vitest';
import {
  parseInboundSms,
  parseStatusCallback,
  parseTwilioForm,
  twilioSignature,
  verifyTwilioSignature,
} from '../../src/channels/twilio-signature.ts';

// Twilio's documented example (security docs and its api-snippets repository): auth token
// 12345, this URL, these POST parameters; the Caller/From number differs between versions of
// the page, each with its published signature.
const URL_ = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const params = (caller: string) => ({
  CallSid: 'CA1234567890ABCDE',
  Caller: caller,
  Digits: '1234',
  From: caller,
  To: '+18005551212',
});

describe('X-Twilio-Signature', () => {
  it.each([
    ['+14158675310', 'GvWf1cFY/Q7PnoempGyD5oXAezc='],
    ['+14158675309', 'RSOYDt4T1cUTdK1PDd93/VVr8B8='],
    ['+12349013030', '0/KCTR6DLpKmkAf8muzZqo1nDgQ='],
  ])('matches Twilio’s published vector (Caller %s)', (caller, signature) => {
    expect(twilioSignature('12345', URL_, params(caller))).toBe(signature);
    expect(verifyTwilioSignature(URL_, params(caller), signature, '12345')).toBe(true);
  });

  it('refuses any change to the URL, a parameter, the token or the header', () => {
    const p = params('+14158675310');
    const good = 'GvWf1cFY/Q7PnoempGyD5oXAezc=';
    expect(verifyTwilioSignature(`${URL_}&x=1`, p, good, '12345')).toBe(false);
    expect(verifyTwilioSignature(URL_, { ...p, Digits: '1235' }, good, '12345')).toBe(false);
    expect(verifyTwilioSignature(URL_, { ...p, Extra: '' }, good, '12345')).toBe(false);
    expect(verifyTwilioSignature(URL_, p, good, '12346')).toBe(false);
    expect(verifyTwilioSignature(URL_, p, good.replace('G', 'H'), '12345')).toBe(false);
    for (const bad of [undefined, '', 'not base64!', 'AAAA', `${good}AAAA`])
      expect(verifyTwilioSignature(URL_, p, bad, '12345')).toBe(false);
    expect(verifyTwilioSignature(URL_, p, good, '')).toBe(false);
  });

  it('accepts the URL with or without the default port, as Twilio’s libraries do', () => {
    const p = { MessageSid: 'SM1', MessageStatus: 'delivered' };
    const signedWithPort = twilioSignature('tok', 'https://warden.example:443/api/hooks/sms/status', p);
    expect(
      verifyTwilioSignature('https://warden.example/api/hooks/sms/status', p, signedWithPort, 'tok'),
    ).toBe(true);
    const signedWithout = twilioSignature('tok', 'https://warden.example/api/hooks/sms/status', p);
    expect(
      verifyTwilioSignature('https://warden.example:443/api/hooks/sms/status', p, signedWithout, 'tok'),
    ).toBe(true);
    expect(
      verifyTwilioSignature('https://warden.example:8443/api/hooks/sms/status', p, signedWithout, 'tok'),
    ).toBe(false);
  });

  it('signs a repeated parameter with each value, sorted', () => {
    const form = parseTwilioForm('To=%2B1555&MediaUrl=b&MediaUrl=a&Body=hi+there');
    expect(form).toEqual({ To: '+1555', MediaUrl: ['b', 'a'], Body: 'hi there' });
    const sig = twilioSignature('tok', 'https://x.example/', form);
    expect(sig).toBe(
      twilioSignature('tok', 'https://x.example/', { Body: 'hi there', MediaUrl: ['a', 'b'], To: '+1555' }),
    );
    expect(verifyTwilioSignature('https://x.example/', form, sig, 'tok')).toBe(true);
  });
});

describe('status callbacks and inbound SMS', () => {
  it('maps Twilio’s statuses to sent, delivered, failed or still accepted', () => {
    const cb = (MessageStatus: string, extra: Record<string, string> = {}) =>
      parseStatusCallback({ MessageSid: 'SM123', MessageStatus, AccountSid: 'AC1', ...extra });
    expect(cb('delivered')).toEqual({
      providerId: 'SM123',
      state: 'delivered',
      providerStatus: 'delivered',
      errorCode: null,
      accountSid: 'AC1',
    });
    expect(cb('read')?.state).toBe('delivered');
    expect(cb('sent')?.state).toBe('sent');
    expect(cb('queued')?.state).toBe('accepted');
    expect(cb('undelivered', { ErrorCode: '30003' })).toMatchObject({ state: 'failed', errorCode: 30003 });
    expect(cb('failed', { ErrorCode: '30008' })).toMatchObject({ state: 'failed', errorCode: 30008 });
    expect(cb('received')).toBeNull();
    expect(cb('bogus')).toBeNull();
    expect(parseStatusCallback({ MessageStatus: 'delivered' })).toBeNull();
    // Older callbacks carry SmsSid / SmsStatus only.
    expect(parseStatusCallback({ SmsSid: 'SM9', SmsStatus: 'sent' })?.state).toBe('sent');
  });

  it('reads an inbound SMS', () => {
    expect(
      parseInboundSms({ MessageSid: 'SM1', From: '+9647801234567', To: '+15005550006', Body: 'SAFE' }),
    ).toEqual({
      providerId: 'SM1',
      from: '+9647801234567',
      to: '+15005550006',
      body: 'SAFE',
      accountSid: null,
    });
    expect(parseInboundSms({ MessageSid: 'SM1', To: '+15005550006' })).toBeNull();
  });
});
