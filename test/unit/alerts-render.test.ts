import { describe, expect, it } from 'vitest';
import {
  ALERT_SMS_MAX_SEGMENTS,
  type AlertMessageInput,
  renderAlertEmail,
  renderAlertSms,
  renderAlertWebhook,
} from '../../src/domain/alerts/render.ts';
import type { AlertContent } from '../../src/domain/alerts/types.ts';
import { catalogue } from '../../src/domain/messages/catalogue.ts';
import { MESSAGE_LANGUAGES, type MessageLanguage } from '../../src/domain/messages/languages.ts';
import { countSms } from '../../src/domain/messages/sms.ts';
import { DEMONSTRATION, SENT_AT } from '../fixtures/alerts/basrah.ts';

const links = {
  alert: 'https://warden.example.org/alerts/a-basrah-cbd',
  manage: 'https://warden.example.org/enroll/manage#t=abc',
  checkIn: 'https://warden.example.org/c/Zx8_k2-Qa9',
};
const input = (language: MessageLanguage, content: Partial<AlertContent> = {}): AlertMessageInput => ({
  alert: { id: 'a-basrah-cbd', sentAt: SENT_AT, content: { ...DEMONSTRATION, ...content } },
  language,
  links,
});
const englishOnly = { texts: { en: DEMONSTRATION.texts.en } };

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

describe('alert email', () => {
  it('lays out the four sections, the validity, check-in, links and footer', () => {
    const m = renderAlertEmail(input('en'));
    expect(m.subject).toBe(
      'Demonstration alert: Demonstrations in Basrah: avoid the central business district',
    );
    expect(m.text.split('\n')).toEqual([
      m.subject,
      'In effect from 2018-09-08 10:00 UTC until 2018-09-15 10:00 UTC.',
      '',
      'Location',
      DEMONSTRATION.texts.en.sections.location,
      '',
      'Event',
      DEMONSTRATION.texts.en.sections.event,
      '',
      'Actions to take',
      DEMONSTRATION.texts.en.sections.actionsToTake,
      '',
      'Assistance',
      DEMONSTRATION.texts.en.sections.assistance,
      '',
      `Are you safe? Tell us by 2018-09-09 10:00 UTC: ${links.checkIn}`,
      `Full alert: ${links.alert}`,
      '',
      '--',
      'You receive this alert because you enrolled a trip in this area. Unsubscribing from travel advisories does not stop alerts.',
      `To change your trips or stop all messages: ${links.manage}`,
    ]);
    expect(m).toMatchObject({ language: 'en', textLanguage: 'en', fallback: false });
  });

  it('offers the two one-click answers in the email, in the recipient’s language', () => {
    const oneClick = {
      ...links,
      checkInSafe: 'https://warden.example.org/checkin?answer=safe#token=t',
      checkInHelp: 'https://warden.example.org/checkin?answer=need_help#token=t',
    };
    const en = renderAlertEmail({ ...input('en'), links: oneClick });
    const lines = en.text.split('\n');
    const at = lines.indexOf(`Are you safe? Tell us by 2018-09-09 10:00 UTC: ${links.checkIn}`);
    expect(lines.slice(at + 1, at + 3)).toEqual([
      `I'm safe: ${oneClick.checkInSafe}`,
      `I need help: ${oneClick.checkInHelp}`,
    ]);
    expect(en.html).toContain(`<a href="${oneClick.checkInSafe}">`);
    expect(en.html).toContain(`<a href="${oneClick.checkInHelp}">`);
    const fr = renderAlertEmail({ ...input('fr'), links: oneClick });
    expect(fr.text).toContain(`Je suis en sécurité : ${oneClick.checkInSafe}`);
    // Without a check-in request there is nothing to answer.
    const none = renderAlertEmail({
      ...input('en', { checkIn: { requested: false, deadline: null } }),
      links: oneClick,
    });
    expect(none.text).not.toContain(oneClick.checkInSafe);
  });

  it('escapes staff text in HTML and keeps links working', () => {
    const hostile = {
      ...DEMONSTRATION.texts.en,
      headline: '<script>alert(1)</script> & "x"',
      sections: { ...DEMONSTRATION.texts.en.sections, event: 'Line one\nline <b>two</b>\n\nNew paragraph' },
    };
    const { html } = renderAlertEmail(input('en', { texts: { en: hostile } }));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
    expect(html).toContain('<p>Line one<br>line &lt;b&gt;two&lt;/b&gt;</p>\n<p>New paragraph</p>');
    expect(html).toContain('demonstrations &amp; large');
    expect(html).toContain(`<a href="${links.checkIn}">${links.checkIn}</a>`);
    expect(html).toContain('<a href="https://warden.example.org/enroll/manage#t=abc">');
  });

  it('marks every drill message in the recipient’s language', () => {
    const expected: Record<MessageLanguage, [string, string]> = {
      en: ['EXERCISE: ', 'TEST: '],
      fr: ['EXERCICE : ', 'TEST : '],
      ar: ['تمرين: ', 'اختبار: '],
    };
    for (const lang of MESSAGE_LANGUAGES) {
      for (const [k, status] of (['Exercise', 'Test'] as const).entries()) {
        const c = { status };
        const prefix = expected[lang][k]!;
        const email = renderAlertEmail(input(lang, c));
        expect(email.subject.startsWith(prefix)).toBe(true);
        expect(email.text.split('\n')[0]!.startsWith(prefix.trim())).toBe(true);
        expect(email.html).toContain('background:#b00020');
        expect(renderAlertSms(input(lang, c)).text.startsWith(prefix)).toBe(true);
        expect(renderAlertWebhook(input(lang, c)).data.title.startsWith(prefix)).toBe(true);
      }
      expect(renderAlertEmail(input(lang)).subject).not.toMatch(/^(EXERCISE|EXERCICE|TEST|تمرين|اختبار)/);
    }
  });

  it('falls back to English with a note in the recipient’s language', () => {
    const m = renderAlertEmail(input('ar', englishOnly));
    expect(m).toMatchObject({ language: 'ar', textLanguage: 'en', fallback: true });
    expect(m.text).toContain('هذا التنبيه غير متوفر بلغتك');
    expect(m.text).toContain(DEMONSTRATION.texts.en.sections.actionsToTake);
    expect(m.text).toContain('الإجراءات الواجب اتخاذها');
    expect(m.subject).toBe(`تنبيه بشأن مظاهرات: ${DEMONSTRATION.texts.en.headline}`);
    expect(m.html).toContain('<html lang="ar" dir="rtl">');
    expect(m.html).toContain('<div lang="en" dir="ltr">');
    const own = renderAlertEmail(input('fr'));
    expect(own).toMatchObject({ textLanguage: 'fr', fallback: false });
    expect(own.text).toContain(DEMONSTRATION.texts.fr!.sections.actionsToTake);
    expect(own.text).not.toContain("n'existe pas dans votre langue");
  });

  it('marks updates and cancels', () => {
    const refs = [{ alertId: 'a0', sentAt: SENT_AT }];
    expect(renderAlertEmail(input('en', { msgType: 'Cancel', references: refs })).subject).toMatch(
      /^CANCELLED: /,
    );
    expect(
      renderAlertEmail(input('fr', { msgType: 'Update', references: refs, status: 'Test' })).subject,
    ).toMatch(/^TEST : MISE À JOUR : /);
  });
});

describe('alert words in the catalogues', () => {
  it('are translated in every language (not English copied)', () => {
    const en = catalogue('en').alert;
    for (const lang of MESSAGE_LANGUAGES.filter((l) => l !== 'en')) {
      const w = catalogue(lang).alert;
      for (const k of Object.keys(en.kinds) as (keyof typeof en.kinds)[])
        expect(w.kinds[k]).not.toBe(en.kinds[k]);
      expect(w.drillPrefix.Exercise).not.toBe(en.drillPrefix.Exercise);
      expect(w.drillBanner.Test).not.toBe(en.drillBanner.Test);
      expect(w.fallbackNote).not.toBe(en.fallbackNote);
      expect(w.footer('L').join('\n')).not.toBe(en.footer('L').join('\n'));
      expect(w.checkIn('L', 'D')).toContain('L');
      expect(w.cancelEvent('T')).toContain('T');
    }
  });
});

describe('alert SMS', () => {
  it('fits the whole English alert in three GSM-7 segments with both links', () => {
    const sms = renderAlertSms(input('en'));
    expect(sms).toMatchObject({ encoding: 'GSM-7', truncated: false });
    expect(sms.segments).toBeLessThanOrEqual(3);
    expect(sms.text).toBe(
      `Demonstration alert: Demonstrations in Basrah: avoid the central business district ${DEMONSTRATION.texts.en.sections.actionsToTake} ${links.alert} Are you safe? ${links.checkIn}`,
    );
  });

  it('cuts the actions at a word for Arabic (UCS-2), keeping headline and check-in link', () => {
    const sms = renderAlertSms(input('ar'));
    expect(sms.encoding).toBe('UCS-2');
    expect(sms.segments).toBeLessThanOrEqual(3);
    expect(sms.text).toContain(DEMONSTRATION.texts.ar!.headline);
    expect(sms.text).toContain(links.checkIn);
    expect(countSms(sms.text).segments).toBe(sms.segments);
  });

  it('never exceeds the segments asked for, and never drops the prefix or the last link', () => {
    const r = rng(9);
    const words = [
      'avoid',
      'the',
      'área',
      'now',
      '€5',
      'الإجراءات',
      'stay',
      'indoors',
      '{x}',
      'évitez',
      '🚨',
    ];
    for (let k = 0; k < 400; k++) {
      const lang = MESSAGE_LANGUAGES[k % 3]!;
      const actions = Array.from(
        { length: Math.floor(r() * 120) },
        () => words[Math.floor(r() * words.length)],
      ).join(' ');
      const headline = Array.from(
        { length: 1 + Math.floor(r() * 25) },
        () => words[Math.floor(r() * words.length)],
      ).join(' ');
      const status = r() < 0.5 ? ('Exercise' as const) : ('Actual' as const);
      const max = 1 + Math.floor(r() * 4);
      const text = {
        headline,
        sections: { ...DEMONSTRATION.texts.en.sections, actionsToTake: actions || 'x' },
      };
      const sms = renderAlertSms(input(lang, { status, texts: { en: text } }), max);
      expect(sms.segments, sms.text).toBeLessThanOrEqual(max);
      expect(countSms(sms.text)).toMatchObject({ segments: sms.segments, encoding: sms.encoding });
      expect(sms.text).toContain(links.checkIn);
      if (status === 'Exercise') expect(sms.text).toMatch(/^(EXERCISE|EXERCICE|تمرين) ?: /);
    }
  });

  it('keeps French in GSM-7 when the staff text allows it (é, è, à and É are GSM-7)', () => {
    const sms = renderAlertSms(input('fr'));
    expect(sms).toMatchObject({ encoding: 'GSM-7', truncated: false });
    expect(sms.text).toContain('En sécurité ? Répondez : https://warden.example.org/c/');
  });

  it('says when the text is in English, briefly', () => {
    expect(renderAlertSms(input('fr', englishOnly)).text).toMatch(
      /^\(en anglais\) Demonstration|^\(en anglais\) Alerte/,
    );
    expect(ALERT_SMS_MAX_SEGMENTS).toBe(3);
  });
});

describe('alert webhook', () => {
  it('carries the alert in the Standard Webhooks shape, typed by message type', () => {
    const p = renderAlertWebhook(input('fr', { status: 'Exercise' }));
    expect(p).toMatchObject({
      type: 'alert.issued',
      timestamp: SENT_AT,
      data: {
        id: 'a-basrah-cbd',
        msgType: 'Alert',
        status: 'Exercise',
        drill: true,
        kind: 'demonstration',
        language: 'fr',
        textLanguage: 'fr',
        fallback: false,
        headline: DEMONSTRATION.texts.fr!.headline,
        cap: DEMONSTRATION.cap,
        area: DEMONSTRATION.area,
        checkIn: { requested: true, deadline: DEMONSTRATION.checkIn.deadline, url: links.checkIn },
        links: { alert: links.alert, manage: links.manage },
      },
    });
    expect(p.data.title).toBe(`EXERCICE : Alerte manifestations : ${DEMONSTRATION.texts.fr!.headline}`);
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
    const cancel = renderAlertWebhook(
      input('ar', { ...englishOnly, msgType: 'Cancel', references: [{ alertId: 'a0', sentAt: SENT_AT }] }),
    );
    expect(cancel).toMatchObject({
      type: 'alert.cancelled',
      data: { fallback: true, references: [{ id: 'a0', sentAt: SENT_AT }] },
    });
  });
});
