import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadGeography } from '../../src/domain/geo/index.ts';
import { blindIndex, normalizeEmail, normalizePhone, PersonCipher } from '../../src/domain/privacy/index.ts';
import {
  ENROLLMENT_COLUMNS,
  type EnrollmentColumn,
  type RawRow,
} from '../../src/imports/enrollments/format.ts';
import {
  type PersonEnv,
  type PersonGroup,
  placeTable,
  preparePersons,
  type SealedPerson,
} from '../../src/imports/enrollments/person.ts';

/*
 * The per-person step of a CSV import, through its fast paths: text checks that clear a value in
 * one scan, whitespace folded only when there is any to fold, language codes already in normal
 * form, results built by constructors (they must still be plain data).
 */

const env: PersonEnv = {
  now: '2026-06-15T12:00:00.000Z',
  kek: randomBytes(32),
  blindKey: randomBytes(32),
  allowPrivateWebhooks: false,
};
const BAGHDAD = { name: 'Baghdad', country: 'IQ', lat: 33.34058, lon: 44.40088 };
const byId = (id: number) => (id === 98182 ? BAGHDAD : undefined);

let line = 1;
function row(values: Partial<Record<EnrollmentColumn, string>>): RawRow {
  line++;
  return { row: line, line, values: ENROLLMENT_COLUMNS.map((c) => values[c] ?? '') };
}

const person = (over: Partial<Record<EnrollmentColumn, string>> = {}) => ({
  external_id: 'P-1',
  name: 'Zainab Al-Rashid',
  email: 'Zainab.Al-Rashid@Tigris-Eng.example',
  phone: '0770 000 0001',
  language: 'ar',
  country: 'IQ',
  lat: '33.3',
  lon: '44.39',
  arrival: '2026-07-01',
  departure: '2026-07-20',
  ...over,
});

function prepare(...rows: RawRow[]) {
  const group: PersonGroup = { externalId: 'P-1', rows, hash: 'h', existing: null };
  return preparePersons(env, [group], placeTable([group], byId))[0]!;
}

function sealed(...rows: RawRow[]): SealedPerson {
  const p = prepare(...rows);
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return p;
}

const problems = (...rows: RawRow[]) => {
  const p = prepare(...rows);
  return p.ok ? [] : p.errors.map((e) => [e.row, e.field, e.code, e.reason]);
};

describe('preparing a person of an import', () => {
  it('seals what it checked, as plain data', () => {
    const first = row(
      person({ name: '  Zainab \t Al-Rashid\n', emergency_name: 'Noor\u00a0 Al-Rashid', language: 'AR-iq' }),
    );
    const second = row(person({ lat: '', lon: '', place_id: '98182', language: '' }));
    const p = sealed(first, second);
    const cipher = PersonCipher.open(env.kek, p.id, p.wrappedKey!);
    expect(cipher.decrypt('name', p.nameEnc)).toBe('Zainab Al-Rashid');
    expect(cipher.decrypt('emergencyContactName', p.emergencyNameEnc)).toBe('Noor Al-Rashid');
    expect(p.emergencyPhoneEnc).toBeNull();
    expect(p.language).toBe('ar-iq');
    expect(p.rowRange).toEqual([first.row, second.row]);
    expect(
      p.contacts.map((c) => [c.kind, cipher.decrypt(c.kind, c.valueEnc), c.blindIndex, c.row, c.line]),
    ).toEqual([
      [
        'email',
        'zainab.al-rashid@tigris-eng.example',
        blindIndex(env.blindKey, 'email', person().email),
        first.row,
        first.line,
      ],
      [
        'phone',
        '+9647700000001',
        blindIndex(env.blindKey, 'phone', person().phone, { defaultCountry: 'IQ' }),
        first.row,
        first.line,
      ],
    ]);
    expect(p.trips.map(({ id, ...t }) => [typeof id, t])).toEqual([
      [
        'string',
        {
          country: 'IQ',
          arrival: '2026-07-01',
          departure: '2026-07-20',
          region: 'IQ-BG',
          lat: 33.3,
          lon: 44.39,
          placeId: null,
        },
      ],
      [
        'string',
        {
          country: 'IQ',
          arrival: '2026-07-01',
          departure: '2026-07-20',
          region: 'IQ-BG',
          lat: BAGHDAD.lat,
          lon: BAGHDAD.lon,
          placeId: 98182,
        },
      ],
    ]);
    // What crosses to the writer (and from a worker thread): the same fields, in the same order.
    const copy = structuredClone(p);
    expect(JSON.parse(JSON.stringify(p))).toEqual(copy);
    expect(Object.keys(copy)).toEqual([
      'ok',
      'externalId',
      'id',
      'hash',
      'wrappedKey',
      'rowRange',
      'language',
      'webhookUrlEnc',
      'nameEnc',
      'emergencyNameEnc',
      'emergencyPhoneEnc',
      'emergencyEmailEnc',
      'contacts',
      'trips',
      'ignored',
    ]);
    expect(Object.keys(copy.contacts[0]!)).toEqual(['id', 'kind', 'valueEnc', 'blindIndex', 'row', 'line']);
    expect(Object.keys(copy.trips[0]!)).toEqual([
      'country',
      'arrival',
      'departure',
      'region',
      'lat',
      'lon',
      'placeId',
      'id',
    ]);
  });

  it('finds every text problem, and only real ones', () => {
    const at = (n: number) => 'x'.repeat(n);
    expect(problems(row(person({ name: at(200), language: 'en-GB', country: ' iq ' })))).toEqual([]);
    const r = row(
      person({
        name: at(201),
        email: 'a\uFFFDb@example.org',
        emergency_name: 'Noor\u0007',
        emergency_phone: '+9647800000002\u0085',
        language: 'e',
      }),
    );
    expect(problems(r)).toEqual([
      [r.row, 'name', 'too_long', 'is longer than 200 characters'],
      [r.row, 'email', 'invalid_encoding', 'is not valid UTF-8 (save the file as "CSV UTF-8")'],
      [r.row, 'emergency_name', 'invalid_text', 'contains control characters'],
      [r.row, 'emergency_phone', 'invalid_text', 'contains control characters'],
      [r.row, 'language', 'invalid_language', 'is not a language code such as en or ar'],
    ]);
  });

  it('reports trip problems per row and refuses the whole person', () => {
    const ok = row(person());
    const bad = row(person({ lat: '95', arrival: '2026-02-30', place_id: '98182' }));
    const outside = row(person({ lat: '51.5', lon: '-0.12', arrival: '2026-08-01', departure: '' }));
    expect(problems(ok, bad, outside)).toEqual([
      [bad.row, 'arrival', 'invalid_date', 'is not a date YYYY-MM-DD'],
      [bad.row, 'place_id', 'invalid_trip_location', 'give one of place_id, place, or lat and lon'],
      [outside.row, 'lat', 'point_outside_country', 'The point is not in IQ'],
      [ok.row, null, 'person_refused', `not imported: row ${bad.row} of the same person has errors`],
    ]);
  });

  it('imports a repeated trip row once and lists it', () => {
    const first = row(person());
    const again = row(person());
    const p = sealed(first, again);
    expect(p.trips).toHaveLength(1);
    expect(p.ignored.map((i) => [i.row, i.code, i.reason])).toEqual([
      [again.row, 'duplicate_row', `the same trip as row ${first.row}; imported once`],
    ]);
  });
});

describe('the look-ups an import repeats', () => {
  it('give the same answer the second time', () => {
    const emails = [
      'a@Tigris-Eng.example',
      'b@tigris-eng.example',
      'c@bücher.example',
      'd@xn--bcher-kva.example',
      'e@localhost',
      'f@example.123',
      'g@-bad-.example',
      'h@',
    ];
    const phones: Array<[string, string | undefined]> = [
      ['0770 000 0001', 'IQ'],
      ['0770 000 0001', 'iq'],
      ['0770 000 0001', 'XX'],
      ['0770 000 0001', undefined],
      ['+9647700000001', 'GB'],
    ];
    const geo = loadGeography();
    const codes = ['IQ', 'iq', ' IQ ', 'IRQ', 'irq', 'XX', ''];
    const once = () => [
      emails.map(normalizeEmail),
      phones.map(([p, c]) => normalizePhone(p, c)),
      codes.map((c) => geo.country(c)?.code),
    ];
    const first = once();
    expect(first).toEqual([
      [
        'a@tigris-eng.example',
        'b@tigris-eng.example',
        'c@xn--bcher-kva.example',
        'd@xn--bcher-kva.example',
        null,
        null,
        null,
        null,
      ],
      ['+9647700000001', '+9647700000001', null, null, '+9647700000001'],
      ['IQ', 'IQ', 'IQ', 'IQ', 'IQ', undefined, undefined],
    ]);
    expect(once()).toEqual(first);
  });
});
