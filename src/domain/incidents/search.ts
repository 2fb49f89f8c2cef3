import { WardenError } from '../errors.ts';
import type { BBox, Geography } from '../geo/types.ts';
import { NEAR_COUNTRY_DEG } from './location.ts';
import { INCIDENT_TYPES, type IncidentSubType, type IncidentType, SUB_TYPES } from './taxonomy.ts';

/** Where the list continues: the last incident returned (newest first, then by id). */
export interface Cursor {
  readonly occurredAt: string;
  readonly id: string;
}

const bad = (field: string, message: string) =>
  new WardenError('validation_failed', message, {
    field,
    problems: [{ path: `querystring/${field}`, message }],
  });

/** "minLon,minLat,maxLon,maxLat"; minLon > maxLon crosses the antimeridian. */
export function parseBBox(raw: string): BBox {
  const parts = raw.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
    throw bad('bbox', 'bbox must be minLon,minLat,maxLon,maxLat');
  }
  const [w, s, e, n] = parts as [number, number, number, number];
  if (w < -180 || e > 180 || w > 180 || e < -180)
    throw bad('bbox', 'bbox longitudes must be within -180..180');
  if (s < -90 || n > 90 || s > n) throw bad('bbox', 'bbox latitudes must be within -90..90, south first');
  return [w, s, e, n];
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.occurredAt, c.id])).toString('base64url');
}

export function decodeCursor(raw: string): Cursor {
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') {
      return { occurredAt: v[0], id: v[1] };
    }
  } catch {
    // fall through
  }
  throw bad('cursor', 'cursor is not one this API returned');
}

/** A time filter: an ISO date-time, or a date (from = its start; to = the end of that day). */
export function parseTime(raw: string, field: 'from' | 'to'): string {
  const s = raw.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const t = Date.parse(`${s}T00:00:00Z`);
    if (Number.isFinite(t)) return new Date(field === 'to' ? t + 86_400_000 - 1 : t).toISOString();
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(s)) {
    const t = Date.parse(s);
    if (Number.isFinite(t)) return new Date(t).toISOString();
  }
  throw bad(field, `${field} must be an ISO date or date-time`);
}

/** "protests,shelling_artillery_missile_attack": type and sub-type codes, told apart. */
export function parseTypes(raw: string): { types: IncidentType[]; subTypes: IncidentSubType[] } {
  const types: IncidentType[] = [];
  const subTypes: IncidentSubType[] = [];
  for (const code of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if ((INCIDENT_TYPES as readonly string[]).includes(code)) types.push(code as IncidentType);
    else if ((SUB_TYPES as readonly string[]).includes(code)) subTypes.push(code as IncidentSubType);
    else throw bad('type', `unknown incident type or sub-type "${code}"`);
  }
  return { types, subTypes };
}

/**
 * Countries whose incidents can lie in the box: every incident's point is in its country or
 * within NEAR_COUNTRY_DEG of the country's box (see resolvePoint). The map query then reads the
 * (country, occurred_at, lat, lon) index of those countries only.
 */
export function countriesInBBox(geo: Geography, box: BBox): string[] {
  const [w, s, e, n] = box;
  const d = NEAR_COUNTRY_DEG;
  const crosses = w > e;
  return geo
    .countries()
    .filter((c) => {
      const [cw, cs, ce, cn] = c.bbox;
      if (cs - d > n || cn + d < s) return false;
      const lonHit = (a: number, b: number) => !(cw - d > b || ce + d < a);
      return crosses ? lonHit(w, 180) || lonHit(-180, e) : lonHit(w, e);
    })
    .map((c) => c.code);
}
