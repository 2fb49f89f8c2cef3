import { describe, expect, it } from 'vitest';
import { NOTICE_SMS_MAX, type NoticeDetails, noticeSms } from '../../src/domain/subscriptions/messages.ts';

const link = 'https://warden.example/enroll/manage';
const advisory = (summary: string): NoticeDetails => ({
  kind: 'advisory',
  country: 'IQ',
  countryName: 'Iraq',
  edition: 7,
  level: 4,
  previousLevel: 3,
  indicators: ['T', 'K'],
  summary,
  changeNote: null,
  publishedAt: '2026-11-28T06:00:00.000Z',
});

describe('noticeSms', () => {
  it('says what happened, the summary whole when it fits, and the link', () => {
    expect(noticeSms(advisory('Do not travel to Iraq.'), link)).toBe(
      `Iraq travel advisory: Level 4, Do not travel (raised). Do not travel to Iraq. Trips and stop: ${link}`,
    );
  });

  it('cuts a long summary at a word and keeps the link whole, within two segments', () => {
    const long = `Do not travel to Iraq due to terrorism, kidnapping, armed conflict and civil unrest. ${'Militia groups threaten U.S. citizens and international companies throughout Iraq. '.repeat(5)}`;
    const text = noticeSms(advisory(long), link);
    expect(text.length).toBeLessThanOrEqual(NOTICE_SMS_MAX);
    expect(text).toMatch(/^Iraq travel advisory: Level 4, Do not travel \(raised\)\. Do not travel to Iraq/);
    expect(text).toMatch(/[a-z]\.\.\. Trips and stop: https:\/\/warden\.example\/enroll\/manage$/);
  });

  it('states a posture change with its statement, or without one', () => {
    const posture = (statement: string | null): NoticeDetails => ({
      kind: 'posture',
      country: 'IQ',
      countryName: 'Iraq',
      postName: 'Consulate General Basrah',
      state: 'ordered_departure',
      previousState: 'authorized_departure',
      statement,
      effectiveAt: '2026-11-28T06:00:00.000Z',
    });
    expect(noticeSms(posture(null), link)).toBe(
      `Iraq: Consulate General Basrah is on ordered departure: non-emergency staff and family members must leave. Trips and stop: ${link}`,
    );
    const text = noticeSms(posture('The Embassy in Baghdad provides services for Basrah. '.repeat(10)), link);
    expect(text.length).toBeLessThanOrEqual(NOTICE_SMS_MAX);
    expect(text).toContain('must leave. The Embassy in Baghdad provides services for Basrah.');
  });
});
