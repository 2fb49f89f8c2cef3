import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { AlertContent } from '../../src/domain/alerts/types.ts';
import { areaContains } from '../../src/domain/posts/geometry.ts';
import { type CapMessageInput, capAlertXml } from '../../src/feeds/cap/alert.ts';
import { capCircle, capDateTime, capPolygon, coordinate } from '../../src/feeds/cap/fields.ts';
import { BASRAH_CBD, CBD_POINT, DEMONSTRATION, SENT_AT } from '../fixtures/alerts/basrah.ts';

const SCHEMA = path.join(import.meta.dirname, '../../assets/cap/cap-1.2.xsd');
const TMP = mkdtempSync(path.join(tmpdir(), 'warden-cap-'));

/** Compares with the saved file; WARDEN_UPDATE_GOLDEN=1 rewrites it after a deliberate change. */
function golden(name: string, actual: string): string {
  const file = path.join(import.meta.dirname, 'cap', name);
  if (process.env.WARDEN_UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
  return file;
}

/** xmllint's verdict on a file against the CAP 1.2 schema kept in the repo. */
function schemaErrors(file: string): string {
  const r = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, file], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return r.status === 0 ? '' : r.stderr;
}

const base = (content: AlertContent, id = 'a-basrah-cbd', sentAt = SENT_AT): CapMessageInput => ({
  alert: { id, content, sentAt },
  sender: 'warden.example.org',
  senderName: 'U.S. Embassy Baghdad',
  web: `https://warden.example.org/alerts/${id}`,
});

const parser = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) =>
    ['info', 'polygon', 'circle', 'geocode', 'category', 'responseType', 'parameter'].includes(name),
});
type Info = {
  language: string;
  headline: string;
  area: {
    areaDesc: string;
    polygon?: string[];
    circle?: string[];
    geocode?: { valueName: string; value: string }[];
  };
};
const parse = (xml: string) => parser.parse(xml).alert as Record<string, unknown> & { info: Info[] };

const UPDATE: AlertContent = {
  ...DEMONSTRATION,
  status: 'Exercise',
  msgType: 'Update',
  references: [{ alertId: 'a-basrah-cbd', sentAt: SENT_AT }],
  texts: { en: DEMONSTRATION.texts.en, fr: DEMONSTRATION.texts.fr! },
  cap: {
    ...DEMONSTRATION.cap,
    category: ['Security', 'Safety'],
    responseType: ['Avoid'],
    urgency: 'Expected',
  },
  checkIn: { requested: false, deadline: null },
  area: {
    countries: ['KW'],
    regions: ['IQ-BA', 'HK-X01'],
    polygons: [
      BASRAH_CBD,
      {
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [178, -17],
              [180, -17],
              [180, -16],
              [178, -16],
              [178, -17],
            ],
          ],
          [
            [
              [-180, -17],
              [-178, -17],
              [-178, -16],
              [-180, -16],
              [-180, -17],
            ],
          ],
        ],
      },
    ],
    circles: [{ lat: 30.508, lon: 47.783, radiusKm: 2.5 }],
  },
};

const CANCEL: AlertContent = {
  ...DEMONSTRATION,
  status: 'Test',
  msgType: 'Cancel',
  scope: 'Restricted',
  restriction: 'Staff of U.S. Embassy Baghdad & their families',
  references: [
    { alertId: 'a-basrah-cbd', sentAt: SENT_AT },
    { alertId: 'a-basrah-cbd-2', sentAt: '2018-09-08T12:00:00.000Z' },
  ],
  texts: {
    en: {
      headline: 'Demonstrations in Basrah: <cancelled> & "withdrawn"',
      sections: {
        ...DEMONSTRATION.texts.en.sections,
        event: 'Cancelled.\nLine two ]]> \u0007 end',
        assistance: '',
      },
    },
  },
  cap: { ...DEMONSTRATION.cap, responseType: ['AllClear'], urgency: 'Past' },
  area: { countries: ['IQ'], regions: [], polygons: [], circles: [] },
};

describe('CAP 1.2 writer', () => {
  it('writes the Basrah demonstration alert (every field, three languages) valid against the schema', () => {
    const xml = capAlertXml(base(DEMONSTRATION));
    expect(schemaErrors(golden('basrah-alert.xml', xml))).toBe('');
    const alert = parse(xml);
    expect(alert).toMatchObject({
      identifier: 'urn:warden:alert:a-basrah-cbd',
      sender: 'warden.example.org',
      sent: '2018-09-08T10:05:00+00:00',
      status: 'Actual',
      msgType: 'Alert',
      source: 'U.S. Embassy Baghdad',
      scope: 'Public',
    });
    expect(alert.references).toBeUndefined();
    expect(alert.info.map((i) => i.language)).toEqual(['en', 'ar', 'fr']);
    expect(alert.info[0]).toMatchObject({
      category: ['Security'],
      event: 'Demonstration',
      responseType: ['Avoid', 'Monitor'],
      urgency: 'Immediate',
      severity: 'Severe',
      certainty: 'Observed',
      eventCode: { valueName: 'warden:alert-kind', value: 'demonstration' },
      effective: '2018-09-08T10:00:00+00:00',
      expires: '2018-09-15T10:00:00+00:00',
      senderName: 'U.S. Embassy Baghdad',
      headline: DEMONSTRATION.texts.en.headline,
      description: DEMONSTRATION.texts.en.sections.event,
      instruction: DEMONSTRATION.texts.en.sections.actionsToTake,
      web: 'https://warden.example.org/alerts/a-basrah-cbd',
      contact: DEMONSTRATION.texts.en.sections.assistance,
      parameter: [{ valueName: 'warden:check-in-deadline', value: '2018-09-09T10:00:00+00:00' }],
    });
    expect(alert.info[1]!.headline).toBe(DEMONSTRATION.texts.ar!.headline);
    expect(alert.info[2]!.area.areaDesc).toBe(DEMONSTRATION.texts.fr!.sections.location);
  });

  it('writes the CBD polygon latitude first, and the known point reads back inside it both ways', () => {
    const polygon = parse(capAlertXml(base(DEMONSTRATION))).info[0]!.area.polygon![0]!;
    expect(polygon).toBe('30.5,47.78 30.5,47.83 30.515,47.83 30.53,47.82 30.53,47.78 30.5,47.78');
    // CAP -> GeoJSON: read "lat,lon" pairs back as [lon, lat]; the point (30.508 N, 47.783 E) is inside.
    const ring = polygon.split(' ').map((p) => {
      const [lat, lon] = p.split(',').map(Number);
      return [lon!, lat!];
    });
    expect(ring).toEqual(BASRAH_CBD.coordinates[0]);
    expect(areaContains({ type: 'Polygon', coordinates: [ring] }, CBD_POINT.lon, CBD_POINT.lat)).toBe(true);
    // GeoJSON -> CAP: the circle around the point starts "30.5..,47.7..".
    expect(capCircle({ ...CBD_POINT, radiusKm: 1 })).toBe('30.508,47.783 1');
    expect(capCircle({ ...CBD_POINT, radiusKm: 1 })).toMatch(/^30\.5\d*,47\.7\d* /);
  });

  it('writes an Exercise Update: references, several polygons, circles, geocodes, two languages', () => {
    const xml = capAlertXml(base(UPDATE, 'a-basrah-cbd-2', '2018-09-08T12:00:00.000Z'));
    expect(schemaErrors(golden('exercise-update.xml', xml))).toBe('');
    const alert = parse(xml);
    expect(alert).toMatchObject({
      status: 'Exercise',
      msgType: 'Update',
      note: 'Exercise: not a real alert.',
      references: 'warden.example.org,urn:warden:alert:a-basrah-cbd,2018-09-08T10:05:00+00:00',
    });
    expect(alert.info.map((i) => i.language)).toEqual(['en', 'fr']);
    const area = alert.info[0]!.area;
    expect(area.polygon).toHaveLength(3);
    expect(area.polygon![1]).toBe('-17,178 -17,180 -16,180 -16,178 -17,178');
    expect(area.circle).toEqual(['30.508,47.783 2.5']);
    expect(area.geocode).toEqual([
      { valueName: 'ISO3166-2', value: 'IQ-BA' },
      { valueName: 'WARDEN-REGION', value: 'HK-X01' },
      { valueName: 'ISO3166-1', value: 'KW' },
    ]);
  });

  it('writes a Restricted Test Cancel referencing a chain, escaping text, valid against the schema', () => {
    const xml = capAlertXml(base(CANCEL, 'a-cancel', '2018-09-08T12:30:00.000Z'));
    expect(schemaErrors(golden('test-cancel.xml', xml))).toBe('');
    const alert = parse(xml);
    expect(alert).toMatchObject({
      status: 'Test',
      msgType: 'Cancel',
      scope: 'Restricted',
      restriction: 'Staff of U.S. Embassy Baghdad & their families',
      references:
        'warden.example.org,urn:warden:alert:a-basrah-cbd,2018-09-08T10:05:00+00:00 ' +
        'warden.example.org,urn:warden:alert:a-basrah-cbd-2,2018-09-08T12:00:00+00:00',
    });
    expect(alert.info[0]!.headline).toBe('Demonstrations in Basrah: <cancelled> & "withdrawn"');
    expect(xml).not.toContain('\u0007');
    expect(alert.info[0]).not.toHaveProperty('contact');
    expect(alert.info[0]!.area.geocode).toEqual([{ valueName: 'ISO3166-1', value: 'IQ' }]);
  });

  it('writes a Private alert with its addresses', () => {
    const xml = capAlertXml({
      ...base({ ...DEMONSTRATION, scope: 'Private', addresses: ['ops@example.org', 'Duty Officer'] }),
      web: null,
    });
    const file = path.join(TMP, 'private.xml');
    writeFileSync(file, xml);
    expect(schemaErrors(file)).toBe('');
    expect(parse(xml)).toMatchObject({ scope: 'Private', addresses: 'ops@example.org "Duty Officer"' });
  });

  it('the schema check can fail: a message with a bad status is refused by xmllint', () => {
    const file = path.join(TMP, 'invalid.xml');
    writeFileSync(file, capAlertXml(base(DEMONSTRATION)).replace('<status>Actual<', '<status>Real<'));
    expect(schemaErrors(file)).toContain('status');
  });

  it('enforces CAP limits and formats', () => {
    const long = {
      ...DEMONSTRATION,
      texts: { en: { ...DEMONSTRATION.texts.en, headline: 'x'.repeat(161) } },
    };
    expect(() => capAlertXml(base(long))).toThrow(expect.objectContaining({ code: 'cap_field_too_long' }));
    expect(() => capAlertXml({ ...base(DEMONSTRATION), sender: 'warden example' })).toThrow(/no spaces/);
    expect(() => capAlertXml(base(DEMONSTRATION, 'a,b'))).toThrow(/identifier/);
    expect(capDateTime('2018-09-08T13:05:00.123+03:00')).toBe('2018-09-08T10:05:00+00:00');
    expect(coordinate(-0.0000001)).toBe('0');
    expect(coordinate(1e-6)).toBe('0.000001');
    expect(() =>
      capPolygon([
        [0, 0],
        [1, 0],
        [0, 0],
      ]),
    ).toThrow();
  });
});
