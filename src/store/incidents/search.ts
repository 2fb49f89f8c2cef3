import { type ExpressionBuilder, sql } from 'kysely';
import type { BBox } from '../../domain/geo/types.ts';
import type { MapIncident } from '../../domain/incidents/geojson.ts';
import type { Cursor } from '../../domain/incidents/search.ts';
import type { Backend, Db } from '../db.ts';
import type { Database } from '../schema.ts';
import { actorsOf, INCIDENT_CORE_COLUMNS, type IncidentCoreRow, incidentCore, linksOf } from './incidents.ts';
import type { IncidentTable } from './tables.ts';

/** Incident searches: filters, the viewport query and the map's light rows. */

/** Which store a query builder talks to (the compiled placeholder tells). */
const backendOf = (db: Db): Backend =>
  db.selectFrom('incidents').select('id').where('id', '=', '').compile().sql.includes('$1')
    ? 'postgres'
    : 'sqlite';

export interface IncidentQuery {
  /** Only these countries (a country filter). */
  readonly countries?: readonly string[];
  readonly box?: BBox;
  /** The map cells covering the box, when few enough to read cell by cell (see cells.ts). */
  readonly cells?: readonly number[];
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
const MAP_COLUMNS = INCIDENT_CORE_COLUMNS;
export type MapRow = IncidentCoreRow;

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

/** Incidents after the cursor in newest-first order (older, or as old with a lower id). */
const olderThan =
  ({ occurredAt, id }: Cursor) =>
  (eb: ExpressionBuilder<Database, 'incidents'>) =>
    eb.or([
      eb('occurred_at', '<', occurredAt),
      eb.and([eb('occurred_at', '=', occurredAt), eb('id', '<', id)]),
    ]);

/** What a map point needs; the rest is read when it is clicked. */
export interface PointRow {
  readonly id: string;
  readonly occurred_at: string;
  readonly lat: number;
  readonly lon: number;
  readonly type: string;
}

/**
 * The newest incidents in a viewport and time range from the map index alone (cell, time, point,
 * type, id), for the cells of the box: every match in those cells is read from the index and
 * sorted, never a row of the table. Unretracted incidents only, newest first.
 */
function cellQuery(db: Db, f: IncidentQuery) {
  const [w, s, e, n] = f.box!;
  let q = db
    .selectFrom('incidents')
    .where('cell', 'in', f.cells!)
    .where('retracted_at', 'is', null)
    .where('lat', '>=', s)
    .where('lat', '<=', n);
  if (f.from) q = q.where('occurred_at', '>=', f.from);
  if (f.to) q = q.where('occurred_at', '<=', f.to);
  q =
    w <= e
      ? q.where('lon', '>=', w).where('lon', '<=', e)
      : q.where((eb) => eb.or([eb('lon', '>=', w), eb('lon', '<=', e)]));
  if (f.after) q = q.where(olderThan(f.after));
  return q.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(f.limit);
}

async function cellPoints(db: Db, f: IncidentQuery): Promise<PointRow[]> {
  return cellQuery(db, f).select(['id', 'occurred_at', 'lat', 'lon', 'type']).execute();
}

/** A plain viewport search (no filter but time): the map index can answer it. */
const byCells = (f: IncidentQuery) =>
  !!f.box &&
  !!f.cells &&
  !f.countries &&
  !f.types?.length &&
  !f.subTypes?.length &&
  !f.actorId &&
  !f.postId &&
  !f.includeRetracted;

/** The map's points: from the map index when the box is small enough, else by time. */
export async function searchPointRows(db: Db, f: IncidentQuery): Promise<PointRow[]> {
  if (byCells(f)) return cellPoints(db, f);
  return (await queryRows(db, f, false)).map((r) => ({
    id: r.id,
    occurred_at: r.occurred_at,
    lat: r.lat,
    lon: r.lon,
    type: r.type,
  }));
}

/**
 * The rows of a viewport search in one statement: the newest keys from the map index alone, then
 * only those rows (by rowid on SQLite: one B-tree descent each rather than two).
 */
async function viewportRows(db: Db, f: IncidentQuery, full: boolean, backend: Backend): Promise<MapRow[]> {
  const base = db.selectFrom('incidents');
  const q = full ? base.selectAll() : base.select([...MAP_COLUMNS]);
  const rows =
    backend === 'sqlite'
      ? await q.where(sql.ref('rowid'), 'in', cellQuery(db, f).select(sql<number>`rowid`.as('r'))).execute()
      : await q.where('id', 'in', cellQuery(db, f).select('id')).execute();
  return (rows as MapRow[]).sort(newestFirst);
}

async function queryRows(db: Db, f: IncidentQuery, full: boolean): Promise<MapRow[]> {
  if (byCells(f)) return viewportRows(db, f, full, backendOf(db));
  const countries = f.countries;
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
  // The map index (unretracted incidents only) narrows a filtered viewport search too.
  if (f.cells && !f.includeRetracted) q = q.where('cell', 'in', f.cells);
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
  if (f.after) q = q.where(olderThan(f.after));
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
    ...incidentCore(r),
    actors: actors.get(r.id) ?? [],
    posts: links.get(r.id) ?? [],
  }));
}
