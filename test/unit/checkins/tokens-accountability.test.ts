import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classify,
  emptyRollup,
  type RecipientFacts,
  rollup,
} from '../../../src/domain/checkins/accountability.ts';
import {
  ANSWER_GRACE_S,
  ANSWER_PURPOSE,
  answerTokenExpiry,
  CALLBACK_PURPOSE,
  signAnswerToken,
  verifyAnswerToken,
} from '../../../src/domain/checkins/answer-tokens.ts';
import { derivePrivacyKeys } from '../../../src/domain/privacy/keys.ts';
import { signToken, TokenError } from '../../../src/domain/privacy/tokens.ts';

const key = derivePrivacyKeys('x'.repeat(40)).tokens;
const other = derivePrivacyKeys('y'.repeat(40)).tokens;
const now = new Date('2026-12-08T04:00:00Z');
const subject = { alertId: 'alert-1', recipientId: 'person-1', channel: 'email' as const };

const reason = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof TokenError) return e.reason;
    throw e;
  }
  return 'accepted';
};

describe('check-in answer tokens', () => {
  const exp = answerTokenExpiry(now, '2026-12-08T10:00:00Z');

  it('round-trips the alert, the person and the channel', () => {
    const t = signAnswerToken(key, ANSWER_PURPOSE, subject, exp);
    expect(verifyAnswerToken(key, ANSWER_PURPOSE, t, now)).toEqual(subject);
  });

  it('lives until a week after the deadline', () => {
    expect(exp).toBe(Date.parse('2026-12-08T10:00:00Z') / 1000 + ANSWER_GRACE_S);
    const t = signAnswerToken(key, ANSWER_PURPOSE, subject, exp);
    expect(reason(() => verifyAnswerToken(key, ANSWER_PURPOSE, t, new Date(exp * 1000 - 1)))).toBe(
      'accepted',
    );
    expect(reason(() => verifyAnswerToken(key, ANSWER_PURPOSE, t, new Date(exp * 1000)))).toBe('expired');
  });

  it('refuses forged, altered and other-purpose tokens as invalid', () => {
    const t = signAnswerToken(key, ANSWER_PURPOSE, subject, exp);
    expect(reason(() => verifyAnswerToken(other, ANSWER_PURPOSE, t, now))).toBe('invalid');
    expect(reason(() => verifyAnswerToken(key, CALLBACK_PURPOSE, t, now))).toBe('invalid');
    const [body, sig] = t.split('.') as [string, string];
    const altered = Buffer.from(
      Buffer.from(body, 'base64url').toString().replace('person-1', 'person-2'),
    ).toString('base64url');
    expect(reason(() => verifyAnswerToken(key, ANSWER_PURPOSE, `${altered}.${sig}`, now))).toBe('invalid');
    // Genuine signature, wrong shape (no alert claim): still invalid.
    const bare = signToken(key, { sub: 'p', purpose: ANSWER_PURPOSE, exp });
    expect(reason(() => verifyAnswerToken(key, ANSWER_PURPOSE, bare, now))).toBe('invalid');
  });

  it('any single-character change of a token is refused (property)', () => {
    const t = signAnswerToken(key, CALLBACK_PURPOSE, { ...subject, channel: 'webhook' }, exp);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    fc.assert(
      fc.property(fc.nat(t.length - 1), fc.constantFrom(...alphabet), (i, ch) => {
        fc.pre(t[i] !== ch);
        const changed = t.slice(0, i) + ch + t.slice(i + 1);
        // The last base64url character carries spare bits: a change there may decode to the same MAC.
        const r = reason(() => verifyAnswerToken(key, CALLBACK_PURPOSE, changed, now));
        if (r === 'accepted') expect(i).toBe(t.length - 1);
        else expect(r).toBe('invalid');
      }),
      { numRuns: 300 },
    );
  });
});

describe('accountability buckets', () => {
  const f = (over: Partial<RecipientFacts>): RecipientFacts => ({
    erased: false,
    channels: [],
    lastAnswer: null,
    ...over,
  });

  it.each([
    [f({ erased: true, lastAnswer: 'need_help' }), 'erased'],
    [f({ channels: ['failed'], lastAnswer: 'need_help' }), 'need_help'],
    [f({ channels: ['queued'], lastAnswer: 'safe' }), 'safe'],
    [f({ channels: ['failed', 'delivered'] }), 'no_answer'],
    [f({ channels: [] }), 'unreachable'],
    [f({ channels: ['failed', 'failed'] }), 'unreachable'],
    [f({ channels: ['failed', 'sent'] }), 'pending'],
    [f({ channels: ['queued'] }), 'pending'],
  ] as const)('%j -> %s', (facts, bucket) => {
    expect(classify(facts)).toBe(bucket);
  });

  it('buckets add up to targeted; reached counts the answered and the delivered (property)', () => {
    const facts = fc.record({
      erased: fc.boolean(),
      channels: fc.array(fc.constantFrom('delivered', 'sent', 'queued', 'failed' as const), { maxLength: 3 }),
      lastAnswer: fc.constantFrom(null, 'safe', 'need_help' as const),
    });
    fc.assert(
      fc.property(fc.array(facts, { maxLength: 60 }), (list) => {
        const r = rollup(list);
        const { targeted, reached, ...buckets } = r;
        expect(Object.values(buckets).reduce((a, b) => a + b, 0)).toBe(targeted);
        expect(targeted).toBe(list.length);
        expect(reached).toBe(
          list.filter((x) => !x.erased && (x.lastAnswer !== null || x.channels.includes('delivered'))).length,
        );
        expect(reached).toBeGreaterThanOrEqual(r.safe + r.need_help);
      }),
    );
    expect(rollup([])).toEqual(emptyRollup());
  });
});
