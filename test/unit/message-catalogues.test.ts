import { describe, expect, it } from 'vitest';
import { MESSAGE_TEMPLATES, renderMessage } from '../../src/domain/enrollments/messages.ts';
import {
  catalogue,
  isGsm7,
  MESSAGE_LANGUAGES,
  messageLanguage,
} from '../../src/domain/messages/catalogue.ts';
import {
  NOTICE_SMS_MAX,
  NOTICE_SMS_MAX_UCS2,
  type NoticeDetails,
  noticeSms,
  noticeTitle,
  renderSubscriptionMessage,
  SUBSCRIPTION_TEMPLATES,
} from '../../src/domain/subscriptions/messages.ts';

const link = 'https://warden.example/x#token=abc.def';
const advisory: NoticeDetails = {
  kind: 'advisory',
  country: 'IQ',
  countryName: 'Iraq',
  edition: 7,
  level: 4,
  previousLevel: 3,
  indicators: ['T', 'K'],
  summary: 'Do not travel to Iraq due to terrorism, kidnapping, armed conflict and civil unrest.',
  changeNote: 'Raised to level 4.',
  publishedAt: '2026-11-28T06:00:00.000Z',
};
const manage = 'https://warden.example/enroll/manage';
const advisoryWith = (summary: string): NoticeDetails => ({ ...advisory, changeNote: null, summary });
const posture: NoticeDetails = {
  kind: 'posture',
  country: 'IQ',
  countryName: 'Iraq',
  postName: 'Consulate General Basrah',
  state: 'ordered_departure',
  previousState: 'authorized_departure',
  statement: 'The Embassy in Baghdad provides services for Basrah.',
  effectiveAt: '2026-11-28T06:00:00.000Z',
};

describe('message catalogues', () => {
  it('pick the language by its primary subtag, English when there is no catalogue', () => {
    expect(messageLanguage('ar-IQ')).toBe('ar');
    expect(messageLanguage('FR')).toBe('fr');
    expect(messageLanguage('fr_CA')).toBe('fr');
    expect(messageLanguage('ku')).toBe('en');
    expect(messageLanguage('')).toBe('en');
    expect(messageLanguage(null)).toBe('en');
  });

  it('render every template in every language, with its link, and translated', () => {
    for (const lang of MESSAGE_LANGUAGES) {
      for (const t of MESSAGE_TEMPLATES) {
        const m = renderMessage(t, t === 'verify_phone' ? '123456' : link, lang);
        expect(m.text).toContain(t === 'verify_phone' ? '123456' : link);
        if (lang !== 'en') expect(m.text).not.toBe(renderMessage(t, link, 'en').text);
      }
      for (const t of SUBSCRIPTION_TEMPLATES) {
        const m = renderSubscriptionMessage(t, {
          link,
          notices: [advisory, posture],
          countries: ['IQ', 'JO'],
          day: '2026-11-27',
          audience: 'subscriber',
          language: lang,
        });
        expect(m.subject.length).toBeGreaterThan(0);
        expect(m.text).toContain(link);
        if (lang !== 'en')
          expect(m.subject).not.toBe(
            renderSubscriptionMessage(t, { link, notices: [advisory], audience: 'subscriber' }).subject,
          );
      }
    }
  });

  it('name the country, level and risks in the language; staff text stays as written', () => {
    expect(noticeTitle(advisory, 'ar')).toBe('تحذير السفر إلى العراق: المستوى 4، لا تسافر (رُفع)');
    expect(noticeTitle(advisory, 'fr')).toBe(
      'Conseils aux voyageurs, Irak : niveau 4, Ne pas voyager (relevé)',
    );
    expect(noticeTitle(posture, 'fr')).toBe('Irak : Consulate General Basrah est en départ ordonné');
    const ar = renderSubscriptionMessage('advisory_notice', {
      link,
      notices: [advisory],
      audience: 'traveller',
      language: 'ar',
    });
    expect(ar.text).toContain('المخاطر: الإرهاب، الاختطاف أو احتجاز الرهائن.');
    expect(ar.text).toContain(advisory.summary);
    expect(ar.text).toContain(`لتغيير رحلاتك أو إيقاف الرسائل: ${link}`);
    expect(catalogue('ar').levels[1]).not.toBe(catalogue('en').levels[1]);
  });

  it('keeps an SMS to two segments of its alphabet: UCS-2 for Arabic', () => {
    const text = noticeSms(advisory, link, 'ar');
    expect(isGsm7(text)).toBe(false);
    expect(text.length).toBeLessThanOrEqual(NOTICE_SMS_MAX_UCS2);
    expect(text.startsWith('تحذير السفر إلى العراق')).toBe(true);
    expect(text.endsWith(link)).toBe(true);
    expect(isGsm7(noticeSms(advisory, link, 'en'))).toBe(true);
    expect(isGsm7('Départ différé, réévaluez à midi')).toBe(true);
    expect(isGsm7('être prêt')).toBe(false);
  });
});

describe('noticeSms', () => {
  it('says what happened, the summary whole when it fits, and the link', () => {
    expect(noticeSms(advisoryWith('Do not travel to Iraq.'), manage)).toBe(
      `Iraq travel advisory: Level 4, Do not travel (raised). Do not travel to Iraq. Trips and stop: ${manage}`,
    );
  });

  it('cuts a long summary at a word and keeps the link whole, within two segments', () => {
    const long = `Do not travel to Iraq due to terrorism, kidnapping, armed conflict and civil unrest. ${'Militia groups threaten U.S. citizens and international companies throughout Iraq. '.repeat(5)}`;
    const text = noticeSms(advisoryWith(long), manage);
    expect(text.length).toBeLessThanOrEqual(NOTICE_SMS_MAX);
    expect(text).toMatch(/^Iraq travel advisory: Level 4, Do not travel \(raised\)\. Do not travel to Iraq/);
    expect(text).toMatch(/[a-z]\.\.\. Trips and stop: https:\/\/warden\.example\/enroll\/manage$/);
  });

  it('states a posture change with its statement, or without one', () => {
    const postureWith = (statement: string | null): NoticeDetails => ({ ...posture, statement });
    expect(noticeSms(postureWith(null), manage)).toBe(
      `Iraq: Consulate General Basrah is on ordered departure: non-emergency staff and family members must leave. Trips and stop: ${manage}`,
    );
    const text = noticeSms(
      postureWith('The Embassy in Baghdad provides services for Basrah. '.repeat(10)),
      manage,
    );
    expect(text.length).toBeLessThanOrEqual(NOTICE_SMS_MAX);
    expect(text).toContain('must leave. The Embassy in Baghdad provides services for Basrah.');
  });
});
