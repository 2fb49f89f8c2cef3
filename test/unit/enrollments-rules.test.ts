import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../src/domain/enrollments/messages.ts';
import { checkDates, resolveTrip } from '../../src/domain/enrollments/trips.ts';
import { webhookProblem } from '../../src/domain/enrollments/webhook.ts';
import { WardenError } from '../../src/domain/errors.ts';
import { loadGeography } from '../../src/domain/geo/index.ts';

const today = new Date('2026-06-15T12:00:00Z');
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof WardenError ? err.code : String(err);
  }
};

describe('webhook URLs', () => {
  it.each([
    'https://hooks.example.org/warden',
    'https://93.184.215.14/hook',
    'https://[2606:4700:4700::1111]/hook',
    'https://example.org:8443/x?y=1',
  ])('accepts %s', (url) => expect(webhookProblem(url)).toBeNull());

  it.each([
    ['not a url', 'not a URL'],
    ['http://example.org/x', 'must be https'],
    ['ftp://example.org/x', 'must be https'],
    ['https://user:pw@example.org/x', 'must not carry credentials'],
    ['https://localhost/x', 'host is not public'],
    ['https://foo.localhost/x', 'host is not public'],
    ['https://printer.local/x', 'host is not public'],
    ['https://intranet/x', 'host is not public'],
    ['https://127.0.0.1/x', 'host is not public'],
    ['https://2130706433/x', 'host is not public'],
    ['https://10.0.0.5/x', 'host is not public'],
    ['https://172.16.4.4/x', 'host is not public'],
    ['https://192.168.1.1/x', 'host is not public'],
    ['https://100.64.0.1/x', 'host is not public'],
    ['https://169.254.169.254/latest/meta-data', 'host is not public'],
    ['https://0.0.0.0/x', 'host is not public'],
    ['https://[::1]/x', 'host is not public'],
    ['https://[fd00::1]/x', 'host is not public'],
    ['https://[fe80::1]/x', 'host is not public'],
    ['https://[::ffff:10.0.0.1]/x', 'host is not public'],
    // Every special range, in every spelling the URL parser accepts.
    ['https://0x7f.1/x', 'host is not public'],
    ['https://017700000001/x', 'host is not public'],
    ['https://127.1/x', 'host is not public'],
    ['https://[::ffff:7f00:1]/x', 'host is not public'],
    ['https://[::127.0.0.1]/x', 'host is not public'],
    ['https://[64:ff9b::7f00:1]/', 'host is not public'],
    ['https://[64:ff9b:1::a00:1]/', 'host is not public'],
    ['https://[2002:7f00:1::]/', 'host is not public'],
    ['https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', 'host is not public'],
    ['https://[fec0::1]/x', 'host is not public'],
    ['https://[ff02::1]/x', 'host is not public'],
    ['https://203.0.113.10/hook', 'host is not public'],
    ['https://[2001:db8::1]/hook', 'host is not public'],
    ['https://198.18.0.1/x', 'host is not public'],
    ['https://224.0.0.1/x', 'host is not public'],
    ['https://255.255.255.255/x', 'host is not public'],
    ['https://240.0.0.1/x', 'host is not public'],
  ])('refuses %s (%s)', (url, why) => expect(webhookProblem(url)).toBe(why));
});

describe('trip dates', () => {
  const trip = (arrival: string, departure?: string) => ({ country: 'IQ', arrival, departure });
  it('accepts one-way trips, residents who arrived within a year, and trips up to two years ahead', () => {
    expect(codeOf(() => checkDates(trip('2026-06-20'), 0, today))).toBeUndefined();
    expect(codeOf(() => checkDates(trip('2025-07-01'), 0, today))).toBeUndefined();
    expect(codeOf(() => checkDates(trip('2028-06-01', '2028-06-10'), 0, today))).toBeUndefined();
    expect(codeOf(() => checkDates(trip('2026-06-15', '2026-06-15'), 0, today))).toBeUndefined();
  });
  it('refuses reversed, ended, long-past and far-future dates', () => {
    expect(codeOf(() => checkDates(trip('2026-07-10', '2026-07-01'), 0, today))).toBe('invalid_dates');
    expect(codeOf(() => checkDates(trip('2026-01-10', '2026-02-01'), 0, today))).toBe('date_out_of_range');
    expect(codeOf(() => checkDates(trip('2025-06-01'), 0, today))).toBe('date_out_of_range');
    expect(codeOf(() => checkDates(trip('2028-07-01'), 0, today))).toBe('date_out_of_range');
  });
});

describe('trip places', () => {
  const geo = loadGeography();
  const base = { country: 'IQ', arrival: '2026-06-20' };
  it('resolves a gazetteer place, a point and a whole country offline', () => {
    expect(resolveTrip(geo, { ...base, place: { placeId: 99532 } }, 0, today)).toMatchObject({
      country: 'IQ',
      region: 'IQ-BA',
      placeId: 99532,
    });
    expect(resolveTrip(geo, { ...base, point: { lat: 33.3, lon: 44.39 } }, 0, today)).toMatchObject({
      region: 'IQ-BG',
      lat: 33.3,
      lon: 44.39,
    });
    expect(resolveTrip(geo, { ...base, country: 'irq' }, 0, today)).toMatchObject({
      country: 'IQ',
      region: null,
      lat: null,
    });
  });
  it('names what is wrong', () => {
    expect(codeOf(() => resolveTrip(geo, { ...base, country: 'XX' }, 0, today))).toBe('unknown_country');
    expect(codeOf(() => resolveTrip(geo, { ...base, place: { placeId: 3 } }, 0, today))).toBe(
      'unknown_place',
    );
    expect(codeOf(() => resolveTrip(geo, { ...base, point: { lat: 0, lon: 0 } }, 0, today))).toBe(
      'point_outside_country',
    );
    expect(codeOf(() => resolveTrip(geo, { ...base, wholeCountry: false }, 0, today))).toBe(
      'invalid_trip_location',
    );
  });
});

describe('messages', () => {
  it('carry the link and nothing about the person', () => {
    for (const t of ['verify_email', 'already_enrolled', 'manage_link'] as const) {
      const m = renderMessage(t, 'https://warden.example/enroll/x#token=abc');
      expect(m.text).toContain('#token=abc');
      expect(m.subject.length).toBeGreaterThan(5);
    }
  });
});
