import type { Context } from '../../context.ts';
import { validateArea } from '../../domain/alerts/area.ts';
import {
  APPROXIMATE,
  COUNTRY_ONLY,
  dayNumber,
  EXACT,
  PRECISIONS,
  type Precision,
  type PreparedArea,
  prepareArea,
  tripMatches,
} from '../../domain/alerts/targeting/area.ts';
import { countryReach } from '../../domain/alerts/targeting/countries.ts';
import type { AlertArea } from '../../domain/alerts/types.ts';
import { WardenError } from '../../domain/errors.ts';
import { loadGeography } from '../../domain/geo/index.ts';
import type { Db } from '../../store/db.ts';
import { channelsOf, type TargetTripRow, tripsInWindow } from '../../store/enrollments/targeting.ts';
import { currentIndex } from './targeting-index.ts';

/*
 * Who an alert reaches (issue 13, items 4-6; docs/alert-targeting.md). Recipients are verified,
 * not-erased enrollments with a trip present in the area at some time in [effective, expires]
 * (open-ended trips and residents included), each with the precision it matched by.
 */

export type { Precision };

export interface TargetQuery {
  /** The alert's area; validated here (validateArea), so a draft's raw area may be passed. */
  readonly area: AlertArea;
  /** ISO 8601 times with a zone; effective < expires. Expiry in the past is the caller's rule. */
  readonly effective: string;
  readonly expires: string;
  /** Count country-only travellers where the area touches, not covers, their country. */
  readonly includeUnknownLocation: boolean;
}

export interface ChannelReach {
  /** People reachable on the channel. */
  readonly people: number;
  /** Their verified contacts on it (a person may have two emails). */
  readonly contacts: number;
}

export interface Reach {
  readonly people: {
    readonly total: number;
    /** Each person counts once, under the most precise trip that matched. */
    readonly exact: number;
    readonly approximate: number;
    readonly countryOnly: number;
  };
  readonly channels: {
    readonly email: ChannelReach;
    readonly sms: ChannelReach;
    readonly webhook: ChannelReach;
  };
}

export interface Recipient {
  readonly enrollmentId: string;
  readonly precision: Precision;
}

export interface TargetOptions {
  /** Read through this transaction (e.g. the send's) instead of the store's pool. */
  readonly db?: Db;
}

/** Live reach: counts of people by precision and of reachable contacts per channel. */
export async function alertReach(ctx: Context, q: TargetQuery, o: TargetOptions = {}): Promise<Reach> {
  const { area, firstDay, lastDay } = prepareQuery(q);
  const index = await currentIndex(ctx, o.db);
  if (!index) return reachOf(await scanStore(o.db ?? ctx.store.db, q), o.db ?? ctx.store.db);
  const r = index.reach(area, dayNumber(firstDay), dayNumber(lastDay));
  return {
    people: {
      total: r.exact + r.approximate + r.countryOnly,
      exact: r.exact,
      approximate: r.approximate,
      countryOnly: r.countryOnly,
    },
    channels: { email: r.email, sms: r.sms, webhook: r.webhook },
  };
}

/**
 * The recipient list at send time, from the store at that moment: the index first applies every
 * change committed before the call (a trip committed before the send is included). Sorted by
 * enrollment id.
 */
export async function alertRecipients(
  ctx: Context,
  q: TargetQuery,
  o: TargetOptions = {},
): Promise<Recipient[]> {
  const { area, firstDay, lastDay } = prepareQuery(q);
  const index = await currentIndex(ctx, o.db);
  if (!index) return recipientsOf(await scanStore(o.db ?? ctx.store.db, q));
  const r = index.recipients(area, dayNumber(firstDay), dayNumber(lastDay));
  return r.ids.map((enrollmentId, i) => ({
    enrollmentId,
    precision: PRECISIONS[r.precision[i] as number] as Precision,
  }));
}

/** The same answers by a scan of the store (no index): the baseline tests and benches compare with. */
export async function alertRecipientsByScan(ctx: Context, q: TargetQuery, o: TargetOptions = {}) {
  return recipientsOf(await scanStore(o.db ?? ctx.store.db, q));
}
export async function alertReachByScan(ctx: Context, q: TargetQuery, o: TargetOptions = {}): Promise<Reach> {
  const db = o.db ?? ctx.store.db;
  return reachOf(await scanStore(db, q), db);
}

function recipientsOf(matched: Map<string, number>): Recipient[] {
  return [...matched.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([enrollmentId, p]) => ({ enrollmentId, precision: PRECISIONS[p] as Precision }));
}

async function reachOf(matched: Map<string, number>, db: Db): Promise<Reach> {
  const channels = await channelsOf(db, [...matched.keys()]);
  const people = { total: matched.size, exact: 0, approximate: 0, countryOnly: 0 };
  for (const p of matched.values()) {
    if (p === EXACT) people.exact++;
    else if (p === APPROXIMATE) people.approximate++;
    else people.countryOnly++;
  }
  const sum = (k: 'email' | 'sms' | 'webhook'): ChannelReach => {
    let n = 0;
    let c = 0;
    for (const ch of channels.values()) {
      if (ch[k] > 0) n++;
      c += Math.min(ch[k], 7);
    }
    return { people: n, contacts: c };
  };
  return { people, channels: { email: sum('email'), sms: sum('sms'), webhook: sum('webhook') } };
}

/** The validated, prepared area and the window's days. */
export function prepareQuery(q: TargetQuery): { area: PreparedArea; firstDay: string; lastDay: string } {
  const effective = Date.parse(q.effective);
  const expires = Date.parse(q.expires);
  if (Number.isNaN(effective) || Number.isNaN(expires)) {
    throw new WardenError('validation_failed', 'effective and expires are ISO 8601 times.', {
      effective: q.effective,
      expires: q.expires,
    });
  }
  if (effective >= expires) {
    throw new WardenError('invalid_dates', 'An alert must take effect before it expires.', {
      effective: q.effective,
      expires: q.expires,
    });
  }
  const geo = loadGeography();
  const area = validateArea(q.area, geo);
  const { covered, touched } = countryReach(area, geo);
  return {
    area: prepareArea(area, {
      coveredCountries: covered,
      touchedCountries: touched,
      includeUnknownLocation: q.includeUnknownLocation,
    }),
    firstDay: new Date(effective).toISOString().slice(0, 10),
    lastDay: new Date(expires).toISOString().slice(0, 10),
  };
}

export const precisionOf = (r: Pick<TargetTripRow, 'lat' | 'place_id'>): number =>
  r.lat === null ? COUNTRY_ONLY : r.place_id !== null ? APPROXIMATE : EXACT;

/** Matching people -> best precision code, by a scan of the store. */
async function scanStore(db: Db, q: TargetQuery): Promise<Map<string, number>> {
  const { area, firstDay, lastDay } = prepareQuery(q);
  const rows = await tripsInWindow(db, firstDay, lastDay);
  const out = new Map<string, number>();
  for (const r of rows) {
    const precision = precisionOf(r);
    const hit = tripMatches(area, {
      precision,
      country: r.country,
      region: r.region,
      lat: r.lat ?? Number.NaN,
      lon: r.lon ?? Number.NaN,
    });
    if (!hit) continue;
    const had = out.get(r.person_id);
    if (had === undefined || precision < had) out.set(r.person_id, precision);
  }
  return out;
}
