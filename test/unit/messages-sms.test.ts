import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';
import { countSms } from '../../src/domain/messages/sms.ts';

/** A mulberry32 generator: the same cases on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Plain letters often, so GSM-7 messages stay common; the rest tests each rule.
const PIECES = [
  ...'abcdefghij klmnop ABC 0123.,:;!?-'.split(''),
  '€',
  '[',
  ']',
  '{',
  '}',
  '~',
  '^',
  '|',
  '\\', // GSM extension table: two septets
  'é',
  'à',
  'Ç',
  'Ø',
  'Δ', // GSM basic
  'ç',
  'ê',
  'À',
  '’', // not GSM
  'ب',
  'ت',
  'ّ',
  'تّ', // Arabic letters and shadda (a combining mark)
  '🚨',
  '👍🏽',
  '👨‍👩‍👧',
  '🇮🇶', // surrogate pairs, a modifier, a ZWJ sequence, a flag
  '\n',
  '\r\n',
];

describe('SMS segment count', () => {
  it('agrees with Twilio’s calculator on 500 random messages around segment boundaries', () => {
    const r = rng(5);
    const seen = new Set<string>();
    for (let k = 0; k < 500; k++) {
      const ascii = r() < 0.5;
      const n = 40 + Math.floor(r() * 300);
      let text = '';
      for (let i = 0; i < n; i++) {
        text += ascii && r() < 0.97 ? PIECES[Math.floor(r() * 33)] : PIECES[Math.floor(r() * PIECES.length)];
      }
      const ours = countSms(text);
      const theirs = new SegmentedMessage(text);
      expect({ text, encoding: ours.encoding, segments: ours.segments }).toEqual({
        text,
        encoding: theirs.encodingName,
        segments: theirs.segmentsCount,
      });
      seen.add(`${ours.encoding}:${Math.min(ours.segments, 4)}`);
    }
    // Both encodings at one and several segments were exercised.
    for (const s of ['GSM-7:1', 'GSM-7:2', 'GSM-7:3', 'UCS-2:1', 'UCS-2:2', 'UCS-2:4'])
      expect(seen).toContain(s);
  });

  it('counts the boundaries exactly', () => {
    expect(countSms('x'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(countSms('x'.repeat(161)).segments).toBe(2);
    expect(countSms('x'.repeat(306)).segments).toBe(2);
    expect(countSms('x'.repeat(307)).segments).toBe(3);
    expect(countSms('€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(countSms(`${'x'.repeat(152)}€`).segments).toBe(1);
    // An escape pair is not split: 152 septets then € does not fit in the first of several segments.
    expect(countSms(`${'x'.repeat(152)}€${'x'.repeat(10)}`).segments).toBe(2);
    expect(countSms('ب'.repeat(70))).toEqual({ encoding: 'UCS-2', segments: 1, units: 70 });
    expect(countSms('ب'.repeat(71)).segments).toBe(2);
    expect(countSms('ب'.repeat(134)).segments).toBe(2);
    expect(countSms('ب'.repeat(135)).segments).toBe(3);
    // A surrogate pair is not split across segments.
    expect(countSms(`${'ب'.repeat(66)}🚨${'ب'.repeat(5)}`).segments).toBe(2);
    expect(countSms(`${'ب'.repeat(65)}🚨${'ب'.repeat(5)}`).segments).toBe(2);
  });
});
