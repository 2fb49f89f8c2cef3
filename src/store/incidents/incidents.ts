import { sql } from 'kysely';
import { cellOf } from '../../domain/incidents/cells.ts';
import type { IncidentSubType, IncidentType } from '../../domain/incidents/taxonomy.ts';
import type {
  ActorRole,
  ActorType,
  Confidence,
  GeoPrecision,
  Incident,
  IncidentActor,
  IncidentVersion,
  IncidentView,
  PostLink,
  TimePrecision,
} from '../../domain/incidents/types.ts';
import type { Backend, Db } from '../db.ts';
import { LOCK, lockFor } from '../locks.ts';
import { insertIncidentActorRows, insertPostLinkRows } from './bulk.ts';
import type { IncidentActorTable, IncidentPostTable, IncidentTable } from './tables.ts';

/** The columns every view of an incident reads (the map layer reads only these). */
export const INCIDENT_CORE_COLUMNS = [
  'id',
  'event_id',
  'occurred_at',
  'time_precision',
  'lat',
  'lon',
  'geo_precision',
  'place',
  'country',
  'region',
  'type',
  'sub_type',
  'target_text',
  'target_post_id',
  'fatalities',
  'injuries',
  'retracted_at',
  'retracted_by',
  'retraction_reason',
] as const;
export type IncidentCoreRow = Pick<IncidentTable, (typeof INCIDENT_CORE_COLUMNS)[number]>;

/** The fields of an incident that both the full and the map views map the same way. */
export function incidentCore(r: IncidentCoreRow) {
  return {
    id: r.id,
    eventId: r.event_id,
    occurredAt: r.occurred_at,
    timePrecision: r.time_precision as TimePrecision,
    location: {
      lat: Number(r.lat),
      lon: Number(r.lon),
      precision: r.geo_precision as GeoPrecision,
      place: r.place,
    },
    country: r.country,
    region: r.region,
    type: r.type as IncidentType,
    subType: r.sub_type as IncidentSubType,
    target: { text: r.target_text, postId: r.target_post_id },
    fatalities: r.fatalities === null ? null : Number(r.fatalities),
    injuries: r.injuries === null ? null : Number(r.injuries),
    retraction:
      r.retracted_at && r.retracted_by
        ? { at: r.retracted_at, by: r.retracted_by, reason: r.retraction_reason ?? '' }
        : null,
  };
}

export function incidentRowToIncident(r: IncidentTable, actors: readonly IncidentActor[]): Incident {
  return {
    ...incidentCore(r),
    actors,
    sources: JSON.parse(r.sources) as string[],
    notes: r.notes,
    source: r.source ? (JSON.parse(r.source) as Record<string, string>) : null,
    version: Number(r.version),
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

export const incidentToRow = (i: Incident, contentHash: string | null): IncidentTable => ({
  id: i.id,
  event_id: i.eventId,
  occurred_at: i.occurredAt,
  time_precision: i.timePrecision,
  lat: i.location.lat,
  lon: i.location.lon,
  cell: cellOf(i.location.lat, i.location.lon),
  geo_precision: i.location.precision,
  place: i.location.place,
  country: i.country,
  region: i.region,
  type: i.type,
  sub_type: i.subType,
  target_text: i.target.text,
  target_post_id: i.target.postId,
  fatalities: i.fatalities,
  injuries: i.injuries,
  sources: JSON.stringify(i.sources),
  notes: i.notes,
  source: i.source ? JSON.stringify(i.source) : null,
  content_hash: contentHash,
  version: i.version,
  created_at: i.createdAt,
  created_by: i.createdBy,
  updated_at: i.updatedAt,
  updated_by: i.updatedBy,
  retracted_at: i.retraction?.at ?? null,
  retracted_by: i.retraction?.by ?? null,
  retraction_reason: i.retraction?.reason ?? null,
});

export const incidentActorRows = (i: Incident): IncidentActorTable[] =>
  i.actors.map((a, position) => ({
    incident_id: i.id,
    actor_id: a.actorId,
    role: a.role,
    confidence: a.confidence,
    position,
  }));

export const postLinkRows = (i: Incident, links: readonly PostLink[]): IncidentPostTable[] =>
  links.map((l) => ({
    post_id: l.postId,
    incident_id: i.id,
    distance_km: l.distanceKm,
    occurred_at: i.occurredAt,
    type: i.type,
    retracted_at: i.retraction?.at ?? null,
  }));

/** Rewrites an incident's row, actors and post links (an edit, a re-import or a retraction). */
export async function replaceIncident(
  db: Db,
  i: Incident,
  contentHash: string | null,
  links: readonly PostLink[],
): Promise<void> {
  const { id, created_at: _c, created_by: _b, ...rest } = incidentToRow(i, contentHash);
  await db.updateTable('incidents').set(rest).where('id', '=', id).execute();
  await db.deleteFrom('incident_actors').where('incident_id', '=', id).execute();
  await insertIncidentActorRows(db, incidentActorRows(i));
  await db.deleteFrom('incident_posts').where('incident_id', '=', id).execute();
  await insertPostLinkRows(db, postLinkRows(i, links));
}

export async function findIncidentRow(db: Db, id: string): Promise<IncidentTable | undefined> {
  return db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findIncident(db: Db, id: string): Promise<Incident | undefined> {
  const r = await findIncidentRow(db, id);
  if (!r) return undefined;
  const actors = await actorsOf(db, [id]);
  return incidentRowToIncident(r, actors.get(id) ?? []);
}

export async function findIncidentView(db: Db, id: string): Promise<IncidentView | undefined> {
  const r = await findIncidentRow(db, id);
  return r ? (await hydrate(db, [r]))[0] : undefined;
}

export async function contentHashOf(db: Db, id: string): Promise<string | null> {
  const r = await db.selectFrom('incidents').select('content_hash').where('id', '=', id).executeTakeFirst();
  return r?.content_hash ?? null;
}

/**
 * Serialises import batches across processes: two imports of the same file must not both find an
 * event missing and both insert it (the unique event_id would fail one). SQLite serialises
 * writers itself.
 */
export async function lockIncidentImport(db: Db, backend: Backend): Promise<void> {
  await lockFor(db, backend, LOCK.incidentImport);
}

/** Imports in progress per SQLite connection, and how to restore its settings after the last. */
const tuned = new WeakMap<object, { imports: number; restore: Promise<() => Promise<void>> }>();

const IMPORT_SETTINGS = { cache_size: '-65536', temp_store: 'MEMORY', wal_autocheckpoint: '65536' };

/** Applies IMPORT_SETTINGS; returns what puts the previous values back. */
async function applyImportSettings(db: Db): Promise<() => Promise<void>> {
  const before: Array<[string, number]> = [];
  for (const [name, value] of Object.entries(IMPORT_SETTINGS)) {
    const { rows } = await sql<Record<string, number>>`PRAGMA ${sql.raw(name)}`.execute(db);
    before.push([name, Number(rows[0]?.[name])]);
    await sql`PRAGMA ${sql.raw(name)} = ${sql.raw(value)}`.execute(db);
  }
  return async () => {
    for (const [name, v] of before) {
      if (Number.isFinite(v)) await sql`PRAGMA ${sql.raw(name)} = ${sql.raw(String(v))}`.execute(db);
    }
  };
}

/**
 * SQLite settings of the connection for a bulk import, restored when the last import running on
 * it ends (call the function returned). None touches durability (WAL with synchronous=NORMAL,
 * as always): a 64 MB page cache keeps the indexes' insertion points in memory; temporary
 * storage in memory; and a checkpoint every 256 MB of WAL rather than every 4 MB, so a page
 * rewritten by consecutive batches is copied into the database once rather than after each one.
 * PostgreSQL: nothing to do.
 */
export async function tuneForImport(db: Db, backend: Backend): Promise<() => Promise<void>> {
  if (backend !== 'sqlite') return async () => {};
  let state = tuned.get(db);
  if (!state) {
    state = { imports: 0, restore: applyImportSettings(db) };
    tuned.set(db, state);
  }
  state.imports++;
  const s = state;
  try {
    await s.restore;
  } catch (err) {
    tuned.delete(db);
    throw err;
  }
  return async () => {
    if (--s.imports > 0) return;
    tuned.delete(db);
    await (await s.restore)();
  };
}

/**
 * Refreshes the planner's statistics after a large import: without them, PostgreSQL planned the
 * viewport query as a scan right after a million-row import (300 ms instead of a few). On
 * PostgreSQL also VACUUM, which marks the new pages all-visible: until then the map query cannot
 * be answered from its index alone and read thousands of table pages (98 ms instead of 6 after a
 * million rows; the VACUUM took 3 s). SQLite's `PRAGMA optimize` analyses only what needs it.
 */
export async function analyzeIncidents(db: Db, backend: Backend): Promise<void> {
  if (backend === 'postgres') {
    await sql`VACUUM (ANALYZE) incidents, incident_actors, incident_posts`.execute(db);
  } else await sql`PRAGMA optimize=0x10002`.execute(db);
}

export interface StoredEvent {
  readonly id: string;
  readonly contentHash: string | null;
  readonly retractedAt: string | null;
}

/** Incidents already stored under these source event ids (what a re-import compares). */
export async function findByEventIds(db: Db, eventIds: readonly string[]): Promise<Map<string, StoredEvent>> {
  const out = new Map<string, StoredEvent>();
  for (let i = 0; i < eventIds.length; i += 5000) {
    const rows = await db
      .selectFrom('incidents')
      .select(['id', 'event_id', 'content_hash', 'retracted_at'])
      .where('event_id', 'in', eventIds.slice(i, i + 5000))
      .execute();
    for (const r of rows) {
      if (r.event_id)
        out.set(r.event_id, { id: r.id, contentHash: r.content_hash, retractedAt: r.retracted_at });
    }
  }
  return out;
}

export async function actorsOf(db: Db, ids: readonly string[]): Promise<Map<string, IncidentActor[]>> {
  const out = new Map<string, IncidentActor[]>();
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = await db
      .selectFrom('incident_actors as ia')
      .innerJoin('actors as a', 'a.id', 'ia.actor_id')
      .select([
        'ia.incident_id',
        'ia.actor_id',
        'ia.role',
        'ia.confidence',
        'ia.position',
        'a.name',
        'a.type',
      ])
      .where('ia.incident_id', 'in', ids.slice(i, i + 5000))
      .execute();
    rows.sort((a, b) => Number(a.position) - Number(b.position));
    for (const r of rows) {
      const actor: IncidentActor = {
        actorId: r.actor_id,
        name: r.name,
        type: r.type as ActorType,
        role: r.role as ActorRole,
        confidence: r.confidence as Confidence,
      };
      const list = out.get(r.incident_id);
      if (list) list.push(actor);
      else out.set(r.incident_id, [actor]);
    }
  }
  return out;
}

export async function linksOf(db: Db, ids: readonly string[]): Promise<Map<string, PostLink[]>> {
  const out = new Map<string, PostLink[]>();
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = await db
      .selectFrom('incident_posts')
      .select(['incident_id', 'post_id', 'distance_km'])
      .where('incident_id', 'in', ids.slice(i, i + 5000))
      .execute();
    for (const r of rows) {
      const link = { postId: r.post_id, distanceKm: Number(r.distance_km) };
      const list = out.get(r.incident_id);
      if (list) list.push(link);
      else out.set(r.incident_id, [link]);
    }
  }
  for (const list of out.values()) list.sort((a, b) => a.distanceKm - b.distanceKm);
  return out;
}

/** Rows to views: actors and post links in two queries per 5000 incidents. */
export async function hydrate(db: Db, rows: readonly IncidentTable[]): Promise<IncidentView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [actors, links] = await Promise.all([actorsOf(db, ids), linksOf(db, ids)]);
  return rows.map((r) => ({
    ...incidentRowToIncident(r, actors.get(r.id) ?? []),
    posts: links.get(r.id) ?? [],
  }));
}

export async function insertVersion(db: Db, v: IncidentVersion): Promise<void> {
  await db
    .insertInto('incident_versions')
    .values({
      incident_id: v.incidentId,
      version: v.version,
      state: JSON.stringify(v.state),
      replaced_at: v.replacedAt,
      replaced_by: v.replacedBy,
    })
    .execute();
}

export async function listVersions(db: Db, incidentId: string): Promise<IncidentVersion[]> {
  const rows = await db
    .selectFrom('incident_versions')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ({
    incidentId: r.incident_id,
    version: Number(r.version),
    state: JSON.parse(r.state) as Incident,
    replacedAt: r.replaced_at,
    replacedBy: r.replaced_by,
  }));
}
