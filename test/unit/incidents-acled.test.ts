import { describe, expect, it } from 'vitest';
import { loadGeography } from '../../src/domain/geo/index.ts';
import { acledContext, mapAcledRow, parseAcledDate, readHeader } from '../../src/domain/incidents/acled.ts';
import { resolvePoint } from '../../src/domain/incidents/location.ts';
import { distanceKm, NearPosts } from '../../src/domain/incidents/near.ts';
import { findPartOfCycle } from '../../src/domain/incidents/relations.ts';
import { countriesInBBox, parseBBox } from '../../src/domain/incidents/search.ts';

const geo = loadGeography();
const ctx = acledContext(geo, new Date('2026-01-01T00:00:00Z'));
const COLS = [
  'event_id_cnty',
  'event_date',
  'time_precision',
  'event_type',
  'sub_event_type',
  'actor1',
  'assoc_actor_1',
  'inter1',
  'actor2',
  'inter2',
  'iso',
  'country',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'notes',
  'fatalities',
  'tags',
];
const header = readHeader(COLS);
const row = (over: Record<string, string>) => {
  const base: Record<string, string> = {
    event_id_cnty: 'IRQ1',
    event_date: '2018-09-27',
    time_precision: '1',
    event_type: 'Battles',
    sub_event_type: 'Armed clash',
    actor1: 'Military Forces of Iraq (2014-)',
    assoc_actor_1: 'PMF: Popular Mobilization Forces; Tribal Militia (Iraq)',
    inter1: '1',
    actor2: 'Islamic State (Iraq)',
    inter2: 'Rebel group',
    iso: '368',
    country: 'Iraq',
    latitude: '34.3689',
    longitude: '41.0944',
    geo_precision: '2',
    source: 'Shafaq News;  Rudaw ',
    notes: 'Clashes near Al Qaim.',
    fatalities: '4',
    tags: '',
  };
  return mapAcledRow(
    ctx,
    header,
    COLS.map((c) => ({ ...base, ...over })[c] ?? ''),
  );
};

describe('ACLED rows', () => {
  it('parses the date formats ACLED has used, refusing impossible dates', () => {
    expect(parseAcledDate('2018-09-27')).toBe('2018-09-27');
    expect(parseAcledDate('27 September 2018')).toBe('2018-09-27');
    expect(parseAcledDate('7-Sep-2018')).toBe('2018-09-07');
    for (const bad of ['2018-02-30', '2018/09/27', '27.09.2018', 'Sep 27 2018', '', '32 January 2018']) {
      expect(parseAcledDate(bad), bad).toBeNull();
    }
  });

  it('maps a row: precisions, inter codes (numbers or labels), associated actors, sources, kept columns', () => {
    const m = row({});
    expect(m.errors).toEqual([]);
    expect(m.warnings).toEqual([]);
    expect(m.incident).toMatchObject({
      eventId: 'IRQ1',
      occurredAt: '2018-09-27T00:00:00.000Z',
      timePrecision: 'day',
      geoPrecision: 'near',
      country: 'IQ',
      region: 'IQ-AN',
      type: 'battles',
      subType: 'armed_clash',
      fatalities: 4,
      sources: ['Shafaq News', 'Rudaw'],
    });
    // Every column Warden does not map is kept verbatim (empty ones are left out).
    expect(JSON.parse(m.incident!.sourceJson)).toEqual({
      time_precision: '1',
      event_type: 'Battles',
      sub_event_type: 'Armed clash',
      inter1: '1',
      inter2: 'Rebel group',
      iso: '368',
      country: 'Iraq',
      geo_precision: '2',
    });
    expect(m.incident!.actors.map((a) => [a.name, a.type, a.role])).toEqual([
      ['Military Forces of Iraq (2014-)', 'state_forces', 'perpetrator'],
      ['PMF: Popular Mobilization Forces', null, 'perpetrator'],
      ['Tribal Militia (Iraq)', null, 'perpetrator'],
      ['Islamic State (Iraq)', 'rebel_group', 'target'],
    ]);
    expect(row({ time_precision: '2' }).incident!.timePrecision).toBe('week');
    expect(row({ time_precision: '3', geo_precision: '3' }).incident).toMatchObject({
      timePrecision: 'week',
      geoPrecision: 'region',
    });
    expect(row({ geo_precision: '7' }).warnings).toEqual([
      { field: 'geo_precision', reason: '"7" is not 1, 2 or 3; taken as region' },
    ]);
  });

  it('keeps unknown types as other with a warning, and a sub-type foreign to its type too', () => {
    const unknown = row({ event_type: 'Non-violent action', sub_event_type: 'Sit-in' });
    expect(unknown.incident).toMatchObject({ type: 'other', subType: 'other' });
    expect(JSON.parse(unknown.incident!.sourceJson)).toMatchObject({
      event_type: 'Non-violent action',
      sub_event_type: 'Sit-in',
    });
    expect(unknown.warnings[0]!.field).toBe('event_type');
    const mismatch = row({ sub_event_type: 'Peaceful protest' });
    expect(mismatch.incident).toMatchObject({ type: 'other', subType: 'other' });
    expect(mismatch.warnings[0]!.field).toBe('sub_event_type');
    // Labels match whatever their case and spacing.
    expect(
      row({ event_type: ' explosions/remote  VIOLENCE', sub_event_type: 'air/drone strike' }).incident,
    ).toMatchObject({
      type: 'explosions_remote_violence',
      subType: 'air_drone_strike',
    });
  });

  it('lists every problem of a row', () => {
    const m = row({ event_id_cnty: '', event_date: 'soon', latitude: 'north', fatalities: '2.5' });
    expect(m.incident).toBeNull();
    expect(m.errors.map((e) => e.field)).toEqual(['event_id_cnty', 'event_date', 'latitude', 'fatalities']);
    expect(row({ event_date: '2027-01-01' }).errors).toEqual([
      { field: 'event_date', reason: '2027-01-01 is in the future' },
    ]);
  });

  it('applies the API field limits and refuses control characters in every cell (issue 11)', () => {
    const fields = (r: ReturnType<typeof row>) => r.errors.map((e) => e.field);
    // An unquoted 3 MiB field was stored; now the row is refused, naming the column.
    const huge = row({ notes: 'x'.repeat(3 * 1024 * 1024) });
    expect(huge.incident).toBeNull();
    expect(huge.errors).toContainEqual({ field: 'notes', reason: 'is longer than 10000 characters' });
    expect(fields(row({ tags: 'y'.repeat(1001) }))).toEqual(['tags']);
    expect(fields(row({ actor1: 'A'.repeat(301) }))).toContain('actor1');
    expect(fields(row({ source: Array.from({ length: 51 }, (_, i) => `S${i}`).join(';') }))).toEqual([
      'source',
    ]);
    expect(fields(row({ assoc_actor_1: Array.from({ length: 60 }, (_, i) => `A${i}`).join(';') }))).toEqual([
      'actors',
    ]);
    for (const bad of ['\u0000', '\u0007', '\u007f', '\u009b']) {
      const r = row({ notes: `Clashes${bad} near Al Qaim.` });
      expect(r.incident).toBeNull();
      expect(r.errors).toEqual([{ field: 'notes', reason: 'contains control characters' }]);
      expect(fields(row({ tags: `crowd${bad}` }))).toEqual(['tags']);
    }
    // Line breaks and tabs in quoted notes are text.
    expect(row({ notes: 'Clashes\n\tnear Al Qaim.' }).incident).not.toBeNull();
  });

  it('refuses swapped or far-away points and keeps border and offshore ones with a warning', () => {
    expect(row({ latitude: '41.0944', longitude: '34.3689' }).errors[0]!.reason).toMatch(/swapped/);
    expect(row({ latitude: '48.85', longitude: '2.35' }).errors[0]!.reason).toBe(
      'the point (48.85, 2.35) is not in or near Iraq (it lies in France)',
    );
    // Just across the Syrian border: kept where the point is.
    const border = row({ latitude: '34.43', longitude: '40.90' });
    expect(border.incident?.country).toBe('SY');
    expect(border.warnings[0]!.reason).toMatch(/just outside Iraq/);
    // In the Gulf off Umm Qasr: kept in Iraq.
    const sea = resolvePoint(geo, 29.9, 48.6, geo.country('IQ'));
    expect(sea).toMatchObject({
      ok: true,
      country: 'IQ',
      region: 'IQ-BA',
      warning: 'the point (29.9, 48.6) is offshore; kept in Iraq',
    });
    expect(resolvePoint(geo, 0, -30)).toMatchObject({ ok: false });
  });
});

describe('incident geometry helpers', () => {
  it('links posts within the radius, nearest first, across the antimeridian too', () => {
    const near = new NearPosts(
      [
        { id: 'basrah', lat: 30.51, lon: 47.81 },
        { id: 'zubair', lat: 30.38, lon: 47.7 },
        { id: 'taveuni', lat: -16.8, lon: 179.95 },
      ],
      25,
    );
    expect(near.near(30.52, 47.82).map((l) => l.postId)).toEqual(['basrah', 'zubair']);
    expect(near.near(30.52, 47.82)[0]!.distanceKm).toBeCloseTo(distanceKm(30.52, 47.82, 30.51, 47.81), 3);
    expect(near.near(-16.8, -179.95).map((l) => l.postId)).toEqual(['taveuni']);
    expect(near.near(0, 0)).toEqual([]);
  });

  it('finds the countries a viewport can hold incidents of', () => {
    expect(countriesInBBox(geo, parseBBox('47.6,30.3,48.0,30.7'))).toEqual(
      expect.arrayContaining(['IQ', 'IR', 'KW']),
    );
    expect(countriesInBBox(geo, parseBBox('47.6,30.3,48.0,30.7'))).not.toContain('FR');
    expect(countriesInBBox(geo, parseBBox('179,-20,-179,-15'))).toContain('FJ');
  });

  it('finds part_of loops', () => {
    const edges = new Map([
      ['b', ['c']],
      ['c', ['d']],
    ]);
    expect(findPartOfCycle('d', 'b', edges)).toEqual(['d', 'b', 'c', 'd']);
    expect(findPartOfCycle('a', 'b', edges)).toBeNull();
    expect(findPartOfCycle('a', 'a', edges)).toEqual(['a', 'a']);
  });
});
