import { describe, expect, it } from 'vitest';
import { TEXT_LIMITS, validateAlertContent } from '../../src/domain/alerts/content.ts';
import {
  alertFromIncident,
  alertFromRestriction,
  blankAlertContent,
  cancelDraft,
  followUpReferences,
  updateDraft,
} from '../../src/domain/alerts/drafts.ts';
import type { AlertContent } from '../../src/domain/alerts/types.ts';
import { WardenError } from '../../src/domain/errors.ts';
import { loadGeography } from '../../src/domain/geo/index.ts';
import { BASRAH_CBD, DEMONSTRATION, SENT_AT, sentAlert } from '../fixtures/alerts/basrah.ts';

const geo = loadGeography();
const now = new Date('2018-09-08T09:45:00Z');
const env = { now, geo };
const check = (c: Partial<AlertContent>) => validateAlertContent({ ...DEMONSTRATION, ...c }, env);

function refusal(f: () => unknown): WardenError {
  try {
    f();
  } catch (e) {
    if (e instanceof WardenError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('alert content validation', () => {
  it('accepts the demonstration alert and returns it normalized', () => {
    const out = check({
      cap: {
        ...DEMONSTRATION.cap,
        category: ['Security', 'Security'],
        effective: '2018-09-08T13:00:00+03:00',
      },
      texts: { ...DEMONSTRATION.texts, en: { ...DEMONSTRATION.texts.en, headline: '  Avoid the CBD  ' } },
    });
    expect(out.cap.category).toEqual(['Security']);
    expect(out.cap.effective).toBe('2018-09-08T10:00:00.000Z');
    expect(out.texts.en.headline).toBe('Avoid the CBD');
    expect(Object.keys(out.texts).sort()).toEqual(['ar', 'en', 'fr']);
  });

  it('refuses unknown languages, a missing English text and empty required sections', () => {
    const de = { ...DEMONSTRATION.texts, de: DEMONSTRATION.texts.en } as AlertContent['texts'];
    expect(refusal(() => check({ texts: de }))).toMatchObject({
      code: 'unknown_language',
      details: { path: '/texts/de', language: 'de' },
    });
    const { en: _en, ...noEnglish } = DEMONSTRATION.texts;
    expect(refusal(() => check({ texts: noEnglish as AlertContent['texts'] })).details.path).toBe(
      '/texts/en',
    );
    const blank = {
      ...DEMONSTRATION.texts.en,
      sections: { ...DEMONSTRATION.texts.en.sections, actionsToTake: ' ' },
    };
    expect(refusal(() => check({ texts: { en: blank } })).details.path).toBe(
      '/texts/en/sections/actionsToTake',
    );
    // The assistance block may be empty (the service fills in the covering post's).
    const noAssistance = {
      ...DEMONSTRATION.texts.en,
      sections: { ...DEMONSTRATION.texts.en.sections, assistance: '' },
    };
    expect(check({ texts: { en: noAssistance } }).texts.en.sections.assistance).toBe('');
  });

  it('refuses a field too long for CAP with its path, limit and length (in characters)', () => {
    const long = 'ب'.repeat(TEXT_LIMITS.headline + 1);
    expect(
      refusal(() => check({ texts: { en: { ...DEMONSTRATION.texts.en, headline: long } } })),
    ).toMatchObject({
      code: 'cap_field_too_long',
      details: { path: '/texts/en/headline', max: 160, length: 161 },
    });
    // 160 emoji are 320 UTF-16 units but 160 characters.
    const emoji = '🚨'.repeat(160);
    expect(check({ texts: { en: { ...DEMONSTRATION.texts.en, headline: emoji } } }).texts.en.headline).toBe(
      emoji,
    );
    expect(refusal(() => check({ cap: { ...DEMONSTRATION.cap, event: 'x'.repeat(101) } })).details.path).toBe(
      '/cap/event',
    );
  });

  it('checks the CAP vocabularies, references, scope and check-in', () => {
    expect(
      refusal(() => check({ cap: { ...DEMONSTRATION.cap, urgency: 'Now' as 'Immediate' } })).details.path,
    ).toBe('/cap/urgency');
    expect(refusal(() => check({ cap: { ...DEMONSTRATION.cap, category: [] } })).details.path).toBe(
      '/cap/category',
    );
    expect(refusal(() => check({ msgType: 'Cancel' })).code).toBe('invalid_reference');
    expect(refusal(() => check({ references: [{ alertId: 'a0', sentAt: SENT_AT }] })).code).toBe(
      'invalid_reference',
    );
    expect(refusal(() => check({ scope: 'Restricted' })).details.path).toBe('/restriction');
    expect(check({ scope: 'Restricted', restriction: 'Staff of Embassy Baghdad' }).restriction).toBe(
      'Staff of Embassy Baghdad',
    );
    expect(refusal(() => check({ scope: 'Private' })).details.path).toBe('/addresses');
    expect(check({ restriction: 'ignored for Public' }).restriction).toBeNull();
    expect(refusal(() => check({ checkIn: { requested: true, deadline: null } })).details.path).toBe(
      '/checkIn/deadline',
    );
    expect(
      refusal(() => check({ checkIn: { requested: true, deadline: '2018-09-20T00:00:00Z' } })).code,
    ).toBe('invalid_dates');
    expect(
      check({ checkIn: { requested: false, deadline: '2018-09-09T00:00:00Z' } }).checkIn.deadline,
    ).toBeNull();
  });

  it('refuses an expired alert and a bad area', () => {
    expect(
      refusal(() => validateAlertContent(DEMONSTRATION, { now: new Date('2018-10-01T00:00:00Z'), geo })).code,
    ).toBe('alert_expired');
    expect(
      refusal(() => check({ area: { countries: [], regions: [], polygons: [], circles: [] } })).code,
    ).toBe('invalid_area');
  });
});

describe('alert drafts', () => {
  const o = { kind: 'emergency' as const, postId: 'post-baghdad', now };

  it('start blank, from an incident seed or from a restriction', () => {
    const blank = blankAlertContent(o);
    expect(blank).toMatchObject({ status: 'Actual', msgType: 'Alert', includeUnknownLocation: true });
    expect(blank.cap).toMatchObject({ category: ['Safety'], expires: '2018-09-09T09:45:00.000Z' });
    const seeded = alertFromIncident(
      {
        area: { circle: { lat: 30.5, lon: 47.8, radiusKm: 2 } },
        time: '2018-09-08T09:00:00Z',
        headline: 'Protests near Basrah',
        description: 'Protests reported.',
      },
      { ...o, kind: 'demonstration' },
    );
    expect(seeded.area.circles).toEqual([{ lat: 30.5, lon: 47.8, radiusKm: 2 }]);
    expect(seeded.texts.en).toMatchObject({
      headline: 'Protests near Basrah',
      sections: { event: 'Protests reported.' },
    });
    const fromRestriction = alertFromRestriction(
      {
        id: 'r1',
        postId: 'post-basrah',
        country: 'IQ',
        regions: [],
        geometry: BASRAH_CBD,
        reason: 'Violent protests in the CBD.',
        validFrom: '2018-09-01T00:00:00Z',
        validUntil: null,
        taskId: 't1',
        createdAt: '2018-09-01T00:00:00Z',
        createdBy: 'user:rso',
      },
      { kind: 'demonstration', now },
    );
    expect(fromRestriction).toMatchObject({ postId: 'post-basrah', area: { polygons: [BASRAH_CBD] } });
    expect(fromRestriction.cap).toMatchObject({ responseType: ['Avoid'], effective: now.toISOString() });
  });

  it('cancel in one click: valid as drafted, in every language of the original, referencing it', () => {
    const original = sentAlert();
    const cancel = validateAlertContent(cancelDraft(original, now), env);
    expect(cancel).toMatchObject({ msgType: 'Cancel', status: 'Actual', scope: 'Public' });
    expect(cancel.references).toEqual([{ alertId: original.id, sentAt: SENT_AT }]);
    expect(cancel.cap.responseType).toEqual(['AllClear']);
    expect(cancel.texts.en.sections.event).toBe(
      'The alert sent on 2018-09-08 10:05 UTC is cancelled. Disregard it.',
    );
    expect(cancel.texts.fr?.sections.event).toContain('est annulée');
    expect(cancel.texts.ar?.sections.event).toContain('أُلغي');
    const exercise = cancelDraft(sentAlert({}, { status: 'Exercise' }), now);
    expect(exercise.status).toBe('Exercise');
  });

  it('updates follow the newest message; nothing follows a cancelled or unsent one', () => {
    const first = sentAlert();
    expect(updateDraft(first, now).references).toEqual([{ alertId: first.id, sentAt: SENT_AT }]);
    const chained = sentAlert(
      { id: 'a2' },
      { msgType: 'Update', references: [{ alertId: 'a1', sentAt: 'x' }] },
    );
    expect(followUpReferences(chained, 'Cancel').map((r) => r.alertId)).toEqual(['a1', 'a2']);
    expect(refusal(() => followUpReferences(sentAlert({ state: 'cancelled' }), 'Cancel')).code).toBe(
      'already_cancelled',
    );
    expect(refusal(() => followUpReferences(sentAlert({ state: 'updated' }), 'Update')).code).toBe(
      'invalid_reference',
    );
    expect(followUpReferences(sentAlert({ state: 'updated' }), 'Cancel')).toHaveLength(1);
    expect(
      refusal(() => followUpReferences(sentAlert({ state: 'approved', sentAt: null }), 'Cancel')).code,
    ).toBe('invalid_reference');
  });
});
