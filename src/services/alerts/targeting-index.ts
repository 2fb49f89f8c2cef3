import type { Context } from '../../context.ts';
import { APPROXIMATE, COUNTRY_ONLY, dayNumber, EXACT } from '../../domain/alerts/targeting/area.ts';
import {
  OPEN_END,
  type PersonChange,
  type TargetingIndex,
  TargetingIndexBuilder,
  type TripInput,
} from '../../domain/alerts/targeting/index.ts';
import { channelFlags } from '../../domain/alerts/targeting/persons.ts';
import type { Db } from '../../store/db.ts';
import {
  allChannels,
  changeCheckpoint,
  changedPeople,
  type PersonChannels,
  peopleState,
  pruneChanges,
  type TargetTripRow,
  tripPage,
} from '../../store/enrollments/targeting.ts';

/*
 * One targeting index per store, kept in step with it through the change log of migration 0022:
 * every query first applies the people changed since the index last looked (one small query when
 * nothing changed), so answers are those of the store at the time of the call.
 */

/** Change rows live a day; an index that has not looked for half of that rebuilds. */
const PRUNE_AFTER_MS = 24 * 3600_000;
const REBUILD_AFTER_MS = 12 * 3600_000;
const PRUNE_EVERY_MS = 3600_000;
const PAGE = 50_000;

interface State {
  index?: TargetingIndex;
  checkpoint: string;
  refreshedAt: number;
  prunedAt: number;
  building?: Promise<void>;
  /** Refreshes run concurrently; one that started before an applied one is dropped (see refresh). */
  started: number;
  applied: number;
}

const states = new WeakMap<object, State>();

function stateOf(ctx: Context): State {
  let s = states.get(ctx.store);
  if (!s) {
    s = { checkpoint: '0', refreshedAt: 0, prunedAt: Date.now(), started: 0, applied: 0 };
    states.set(ctx.store, s);
  }
  return s;
}

export const tripInput = (t: TargetTripRow): TripInput => ({
  precision: t.lat === null ? COUNTRY_ONLY : t.place_id !== null ? APPROXIMATE : EXACT,
  country: t.country,
  region: t.region,
  lat: t.lat ?? Number.NaN,
  lon: t.lon ?? Number.NaN,
  from: Math.max(0, dayNumber(t.arrival)),
  to: t.departure === null ? OPEN_END : Math.min(OPEN_END - 1, dayNumber(t.departure)),
});

const flagsOf = (c: PersonChannels): number => channelFlags(c.email, c.sms, c.webhook);

/**
 * The index, brought up to date with the store as `db` sees it. Undefined when it is not built
 * yet and `db` is a caller's transaction: a first build then runs in the background (on SQLite
 * the pool's only connection is the one the transaction holds), and the caller scans the store.
 */
export async function currentIndex(ctx: Context, db?: Db): Promise<TargetingIndex | undefined> {
  const s = stateOf(ctx);
  if (!s.index || Date.now() - s.refreshedAt > REBUILD_AFTER_MS) {
    if (db && db !== ctx.store.db) {
      void ensureBuilt(ctx, s).catch((err: unknown) =>
        ctx.log.error({ err }, 'targeting index build failed'),
      );
      return undefined;
    }
    await ensureBuilt(ctx, s);
  }
  await refresh(ctx, s, db ?? ctx.store.db);
  return s.index;
}

function ensureBuilt(ctx: Context, s: State): Promise<void> {
  s.building ??= build(ctx, s).finally(() => {
    s.building = undefined;
  });
  return s.building;
}

async function build(ctx: Context, s: State): Promise<void> {
  const db = ctx.store.db;
  const started = ++s.started;
  // The checkpoint first: changes written while the trips are read are applied again later.
  const checkpoint = await changeCheckpoint(ctx.store);
  const channels = await allChannels(db);
  const builder = new TargetingIndexBuilder(1024);
  const slots = new Map<string, number>();
  for (let after = ''; ; ) {
    const page = await tripPage(db, after, PAGE);
    for (const t of page) {
      const c = channels.get(t.person_id);
      if (!c || c.email + c.sms === 0) continue;
      let slot = slots.get(t.person_id);
      if (slot === undefined) {
        slot = builder.addPerson(t.person_id, flagsOf(c));
        slots.set(t.person_id, slot);
      }
      builder.addTrip(slot, tripInput(t));
    }
    if (page.length < PAGE) break;
    after = (page.at(-1) as { id: string }).id;
  }
  s.index = builder.build();
  s.checkpoint = checkpoint;
  s.refreshedAt = Date.now();
  s.applied = started;
}

/**
 * Applies the people changed since the checkpoint. Refreshes may overlap (a send's, in its
 * transaction, and a reach's); each re-reads whole people, so one that started later covers
 * everything one that started earlier read, and the earlier one's (maybe older) answer is dropped.
 */
async function refresh(ctx: Context, s: State, db: Db): Promise<void> {
  const started = ++s.started;
  const from = s.checkpoint;
  const { people, checkpoint } = await changedPeople(ctx.store, from, db);
  const fresh = people.length > 0 ? await peopleState(db, people) : [];
  if (started < s.applied || !s.index) return;
  const changes: PersonChange[] = fresh.map((p) => ({
    id: p.id,
    flags: p.channels ? flagsOf(p.channels) : null,
    trips: p.trips.map(tripInput),
  }));
  s.index.apply(changes);
  s.checkpoint = checkpoint;
  s.refreshedAt = Date.now();
  s.applied = started;
  if (Date.now() - s.prunedAt > PRUNE_EVERY_MS && db === ctx.store.db) {
    s.prunedAt = Date.now();
    await pruneChanges(ctx.store, new Date(Date.now() - PRUNE_AFTER_MS).toISOString());
  }
}
