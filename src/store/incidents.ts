import { CompiledQuery, type ExpressionBuilder, sql } from 'kysely';
import type { BBox } from '../domain/geo/types.ts';
import type { MapIncident } from '../domain/incidents/geojson.ts';
import type { Cursor } from '../domain/incidents/search.ts';
import type { IncidentSubType, IncidentType } from '../domain/incidents/taxonomy.ts';
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
} from '../domain/incidents/types.ts';
import type { Backend, Db } from './db.ts';
import type { Database } from './schema.ts';
import type { IncidentActorTable, IncidentPostTable, IncidentTable } from './tables/incidents.ts';

/** Rows per INSERT: SQLite allows 32766 bound values per statement, PostgreSQL 65535. */
const chunkFor = (columns: number) => Math.floor(30_000 / columns);

export function incidentRowToIncident(r: IncidentTable, actors: readonly IncidentActor[]): Incident {
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
    actors,
    fatalities: r.fatalities === null ? null : Number(r.fatalities),
    injuries: r.injuries === null ? null : Number(r.injuries),
    sources: JSON.parse(r.sources) as string[],
    notes: r.notes,
    source: r.source ? (JSON.parse(r.source) as Record<string, string>) : null,
    version: Number(r.version),
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
    retraction:
      r.retracted_at && r.retracted_by
        ? { at: r.retracted_at, by: r.retracted_by, reason: r.retraction_reason ?? '' }
        : null,
  };
}

export const incidentToRow = (i: Incident, contentHash: string | null): IncidentTable => ({
  id: i.id,
  event_id: i.eventId,
  occurred_at: i.occurredAt,
  time_precision: i.timePrecision,
  lat: i.location.lat,
  lon: i.location.lon,
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

const INCIDENT_COLUMNS: readonly (keyof IncidentTable)[] = [
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
  'sources',
  'notes',
  'source',
  'content_hash',
  'version',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
  'retracted_at',
  'retracted_by',
  'retraction_reason',
];
const ACTOR_COLUMNS: readonly (keyof IncidentActorTable)[] = [
  'incident_id',
  'actor_id',
  'role',
  'confidence',
  'position',
];
const LINK_COLUMNS: readonly (keyof IncidentPostTable)[] = [
  'post_id',
  'incident_id',
  'distance_km',
  'occurred_at',
  'type',
  'retracted_at',
];

type BulkTable = 'incidents' | 'incident_actors' | 'incident_posts';

/**
 * Splits n rows into full chunks of `max` (rounded down to a power of two) and a remainder in
 * power-of-two pieces, so that at most log2(max) statement shapes ever exist per table.
 */
function chunks(n: number, max: number): Array<[number, number]> {
  let size = 1;
  while (size * 2 <= max) size *= 2;
  const out: Array<[number, number]> = [];
  let at = 0;
  for (; size >= 1; size /= 2) {
    while (n - at >= size) {
      out.push([at, at + size]);
      at += size;
    }
  }
  return out;
}
const statements = new Map<string, string>();

/**
 * Multi-row INSERT for imports. Building a 1000-row insert through the query builder cost ~22 µs
 * a row here, as much as SQLite's own work, so on SQLite the statement text is compiled once per
 * table and chunk size, and later chunks only bind their values.
 */
async function insertMany<R extends object>(
  db: Db,
  table: BulkTable,
  columns: readonly (keyof R & string)[],
  rows: readonly R[],
): Promise<void> {
  if (rows.length === 0) return;
  const dialect = db.selectFrom(table).select(sql.lit(1).as('x')).where(sql.lit(1), '=', 1).compile().sql;
  if (dialect.includes('$1')) return insertUnnest(db, table, columns, rows);
  for (const [from, to] of chunks(rows.length, chunkFor(columns.length))) {
    const chunk = rows.slice(from, to);
    const key = `${dialect}|${table}|${chunk.length}`;
    let text = statements.get(key);
    if (!text) {
      const template = chunk.map(() => Object.fromEntries(columns.map((c) => [c, null])));
      // A template of NULLs: only the statement text is kept.
      text = db
        .insertInto(table)
        .values(template as never)
        .compile().sql;
      statements.set(key, text);
    }
    const params: unknown[] = new Array(chunk.length * columns.length);
    let k = 0;
    for (const r of chunk) for (const c of columns) params[k++] = r[c];
    await db.executeQuery(CompiledQuery.raw(text, params));
  }
}

/** PostgreSQL types of the bulk-inserted columns that are not text. */
const PG_TYPES: Readonly<Record<string, string>> = {
  lat: 'float8',
  lon: 'float8',
  distance_km: 'float8',
  fatalities: 'int4',
  injuries: 'int4',
  version: 'int4',
  position: 'int4',
};

/**
 * PostgreSQL: one array per column through unnest(), so a 5000-row chunk is a statement with as
 * many parameters as columns rather than 140,000 of them (several times faster with node-pg).
 */
async function insertUnnest<R extends object>(
  db: Db,
  table: BulkTable,
  columns: readonly (keyof R & string)[],
  rows: readonly R[],
): Promise<void> {
  const text =
    `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) ` +
    `select * from unnest(${columns.map((c, i) => `$${i + 1}::${PG_TYPES[c] ?? 'text'}[]`).join(', ')})`;
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    await db.executeQuery(
      CompiledQuery.raw(
        text,
        columns.map((c) => chunk.map((r) => r[c])),
      ),
    );
  }
}

export const insertIncidentRows = (db: Db, rows: readonly IncidentTable[]) =>
  insertMany(db, 'incidents', INCIDENT_COLUMNS, rows);
export const insertIncidentActorRows = (db: Db, rows: readonly IncidentActorTable[]) =>
  insertMany(db, 'incident_actors', ACTOR_COLUMNS, rows);
export const insertPostLinkRows = (db: Db, rows: readonly IncidentPostTable[]) =>
  insertMany(db, 'incident_posts', LINK_COLUMNS, rows);

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
  if (backend === 'postgres') await sql`SELECT pg_advisory_xact_lock(7503)`.execute(db);
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

export interface IncidentQuery {
  /** Only these countries (the map query's countries touching the box, or a country filter). */
  readonly countries?: readonly string[];
  readonly box?: BBox;
  readonly from?: string;
  readonly to?: string;
  readonly types?: readonly string[];
  readonly subTypes?: readonly string[];
  readonly actorId?: string;
  readonly postId?: string;
  readonly includeRetracted?: boolean;
  readonly after?: Cursor;
  readonly limit: number;
}

/** What the map layer shows of an incident: no notes, sources or source columns. */
const MAP_COLUMNS = [
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
export type MapRow = Pick<IncidentTable, (typeof MAP_COLUMNS)[number]>;

/** Beyond this many countries one query reads them all (IN) instead of one query each. */
const SPLIT_COUNTRIES = 8;

const newestFirst = (a: { occurred_at: string; id: string }, b: { occurred_at: string; id: string }) =>
  a.occurred_at < b.occurred_at
    ? 1
    : a.occurred_at > b.occurred_at
      ? -1
      : a.id < b.id
        ? 1
        : a.id > b.id
          ? -1
          : 0;

/**
 * The viewport query in two steps. First, per country in view, the newest (occurred_at, id) in
 * the box from the partial (country, occurred_at, lat, lon, id) index alone, without reading a
 * row, each stopping at the limit; then the rows of the newest `limit` of them by primary key.
 * One IN query over several countries would instead read and sort every matching row.
 */
async function viewportRows(db: Db, f: IncidentQuery, full: boolean): Promise<MapRow[]> {
  const [w, s, e, n] = f.box!;
  const keys: Array<{ occurred_at: string; id: string }> = [];
  for (const country of f.countries!) {
    let q = db
      .selectFrom('incidents')
      .select(['occurred_at', 'id'])
      .where('country', '=', country)
      .where('retracted_at', 'is', null)
      .where('lat', '>=', s)
      .where('lat', '<=', n);
    if (f.from) q = q.where('occurred_at', '>=', f.from);
    if (f.to) q = q.where('occurred_at', '<=', f.to);
    q =
      w <= e
        ? q.where('lon', '>=', w).where('lon', '<=', e)
        : q.where((eb) => eb.or([eb('lon', '>=', w), eb('lon', '<=', e)]));
    if (f.after) {
      const { occurredAt, id } = f.after;
      q = q.where((eb) =>
        eb.or([
          eb('occurred_at', '<', occurredAt),
          eb.and([eb('occurred_at', '=', occurredAt), eb('id', '<', id)]),
        ]),
      );
    }
    keys.push(...(await q.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute()));
  }
  const ids = keys
    .sort(newestFirst)
    .slice(0, f.limit)
    .map((k) => k.id);
  const rows: MapRow[] = [];
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    const base = db.selectFrom('incidents');
    const q = full ? base.selectAll() : base.select([...MAP_COLUMNS]);
    rows.push(...((await q.where('id', 'in', chunk).execute()) as MapRow[]));
  }
  return rows.sort(newestFirst);
}

async function queryRows(db: Db, f: IncidentQuery, full: boolean): Promise<MapRow[]> {
  const countries = f.countries;
  const plain = !f.types?.length && !f.subTypes?.length && !f.actorId && !f.postId && !f.includeRetracted;
  if (plain && f.box && countries && countries.length > 0 && countries.length <= SPLIT_COUNTRIES) {
    return viewportRows(db, f, full);
  }
  const base = db.selectFrom('incidents');
  let q = full
    ? base.selectAll()
    : (base.select([...MAP_COLUMNS]) as unknown as typeof base & ReturnType<typeof base.selectAll>);
  if (countries) {
    q =
      countries.length === 1
        ? q.where('country', '=', countries[0]!)
        : q.where('country', 'in', countries.length ? countries : ['--']);
  }
  if (f.from) q = q.where('occurred_at', '>=', f.from);
  if (f.to) q = q.where('occurred_at', '<=', f.to);
  if (f.box) {
    const [w, s, e, n] = f.box;
    q = q.where('lat', '>=', s).where('lat', '<=', n);
    q =
      w <= e
        ? q.where('lon', '>=', w).where('lon', '<=', e)
        : q.where((eb) => eb.or([eb('lon', '>=', w), eb('lon', '<=', e)]));
  }
  const types = f.types ?? [];
  const subTypes = f.subTypes ?? [];
  if (types.length || subTypes.length) {
    q = q.where((eb: ExpressionBuilder<Database, 'incidents'>) =>
      eb.or([
        ...(types.length ? [eb('type', 'in', types)] : []),
        ...(subTypes.length ? [eb('sub_type', 'in', subTypes)] : []),
      ]),
    );
  }
  if (f.actorId) {
    const actorId = f.actorId;
    q = q.where('id', 'in', (eb) =>
      eb.selectFrom('incident_actors').select('incident_id').where('actor_id', '=', actorId),
    );
  }
  if (f.postId) {
    const postId = f.postId;
    q = q.where('id', 'in', (eb) =>
      eb.selectFrom('incident_posts').select('incident_id').where('post_id', '=', postId),
    );
  }
  if (!f.includeRetracted) q = q.where('retracted_at', 'is', null);
  if (f.after) {
    const { occurredAt, id } = f.after;
    q = q.where((eb) =>
      eb.or([
        eb('occurred_at', '<', occurredAt),
        eb.and([eb('occurred_at', '=', occurredAt), eb('id', '<', id)]),
      ]),
    );
  }
  return q.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

/** Newest first (occurred_at, then id, both descending): the cursor is the last row returned. */
export const searchIncidentRows = (db: Db, f: IncidentQuery): Promise<IncidentTable[]> =>
  queryRows(db, f, true) as Promise<IncidentTable[]>;

/** The same search, reading only what a map shows. */
export const searchMapRows = (db: Db, f: IncidentQuery): Promise<MapRow[]> => queryRows(db, f, false);

/** Map rows to map incidents: actors and post links in two queries per 5000. */
export async function hydrateMap(db: Db, rows: readonly MapRow[]): Promise<MapIncident[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [actors, links] = await Promise.all([actorsOf(db, ids), linksOf(db, ids)]);
  return rows.map((r) => ({
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
    actors: actors.get(r.id) ?? [],
    fatalities: r.fatalities === null ? null : Number(r.fatalities),
    injuries: r.injuries === null ? null : Number(r.injuries),
    retraction:
      r.retracted_at && r.retracted_by
        ? { at: r.retracted_at, by: r.retracted_by, reason: r.retraction_reason ?? '' }
        : null,
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
