import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/channels/fakes/failure-mix.ts';
import { countSms as smsSegments } from '../../src/domain/messages/sms.ts';

const seg = (text: string) => {
  const s = smsSegments(text);
  return [s.encoding, s.segments];
};

describe('countSms, at the boundaries the SMS channel relies on', () => {
  it('counts GSM-7 at 160 / 153 septets, extension characters as 2', () => {
    expect(seg('a'.repeat(160))).toEqual(['GSM-7', 1]);
    expect(seg('a'.repeat(161))).toEqual(['GSM-7', 2]);
    expect(seg('a'.repeat(306))).toEqual(['GSM-7', 2]);
    expect(seg('a'.repeat(307))).toEqual(['GSM-7', 3]);
    expect(seg('€'.repeat(80))).toEqual(['GSM-7', 1]);
    expect(seg('€'.repeat(81))).toEqual(['GSM-7', 2]);
    expect(smsSegments('[a]').units).toBe(5);
    // An escape pair is not split: 152 + € (2) + 152 fits 2 × 153 by count but needs 3.
    expect(seg(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toEqual(['GSM-7', 3]);
    expect(seg('')).toEqual(['GSM-7', 1]);
  });

  it('counts UCS-2 at 70 / 67 code units; one non-GSM character makes the whole text UCS-2', () => {
    expect(seg('ش'.repeat(70))).toEqual(['UCS-2', 1]);
    expect(seg('ش'.repeat(71))).toEqual(['UCS-2', 2]);
    expect(seg('ش'.repeat(134))).toEqual(['UCS-2', 2]);
    expect(seg('ش'.repeat(135))).toEqual(['UCS-2', 3]);
    expect(seg(`${'a'.repeat(69)}ç`)).toEqual(['UCS-2', 1]);
    expect(seg(`${'a'.repeat(70)}ç`)).toEqual(['UCS-2', 2]);
    expect(seg('😀'.repeat(35))).toEqual(['UCS-2', 1]);
    expect(seg('😀'.repeat(36))).toEqual(['UCS-2', 2]);
    // A surrogate pair is not split: 66 units + 😀 goes to the next segment.
    expect(seg(`${'ش'.repeat(66)}😀${'ش'.repeat(66)}`)).toEqual(['UCS-2', 3]);
  });

  it('agrees with Twilio’s sms-segments-calculator on 3,000 random texts', () => {
    const alphabet = [
      ...'abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789.,:;!?-\n@£$¥èéÇÅΔ_ΦΓßÉÄÖÑÜ§¿äöñüà',
      ...'€[]{}~^|\\',
      '\r\n',
      ...'شسلامعليكمالعراقç',
      ...'àâçéèêëîïôûùüÿœ',
      '😀',
      '👍🏽',
      '🇮🇶',
      '👨‍👩‍👧',
      'é',
    ];
    const random = seededRandom(Number(process.env.SEG_SEED ?? 12));
    const pick = (n: number) => alphabet[Math.floor(random() * n)]!;
    const gsmOnly = alphabet.indexOf('\r\n') + 1;
    for (let i = 0; i < Number(process.env.SEG_N ?? 3000); i++) {
      // Mostly GSM texts with now and then one other character, across the 1-4 segment range.
      const length = 1 + Math.floor(random() * 330);
      const foreign = random() < 0.5;
      let text = '';
      for (let k = 0; k < length; k++) text += pick(foreign && random() < 0.05 ? alphabet.length : gsmOnly);
      const theirs = new SegmentedMessage(text);
      expect(seg(text), JSON.stringify(text)).toEqual([theirs.encodingName, theirs.segmentsCount]);
    }
  });
});
