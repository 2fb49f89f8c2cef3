import type { Context } from '../../context.ts';
import { inScope } from '../../domain/auth/policy.ts';
import { iso } from '../../domain/clock.ts';
import { WardenError } from '../../domain/errors.ts';
import { loadGeography } from '../../domain/geo/index.ts';
import { orderedId } from '../../domain/ids.ts';
import { actorKey } from '../../domain/incidents/acled.ts';
import { type AlertSeed, alertSeed } from '../../domain/incidents/alert-seed.ts';
import { cellRanges, cellsOf } from '../../domain/incidents/cells.ts';
import type { MapIncident, MapPoint } from '../../domain/incidents/geojson.ts';
import { resolvePoint } from '../../domain/incidents/location.ts';
import { boxAround, distanceKm, NearPosts, roundKm } from '../../domain/incidents/near.ts';
import {
  countriesInBBox,
  decodeCursor,
  encodeCursor,
  parseBBox,
  parseTime,
  parseTypes,
} from '../../domain/incidents/search.ts';
import { type IncidentSubType, type IncidentType, isSubTypeOf } from '../../domain/incidents/taxonomy.ts';
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
import type { Db } from '../../store/db.ts';
import { findActorByKey, findActorsByIds } from '../../store/incidents/actors.ts';
import {
  insertIncidentActorRows,
  insertIncidentRows,
  insertPostLinkRows,
} from '../../store/incidents/bulk.ts';
import {
  contentHashOf,
  findIncident,
  findIncidentView,
  hydrate,
  incidentActorRows,
  incidentToRow,
  insertVersion,
  listVersions,
  postLinkRows,
  replaceIncident,
} from '../../store/incidents/incidents.ts';
import {
  linkCandidates,
  linkStates,
  lockPostLinks,
  replacePostLinks,
  saveLinkState,
} from '../../store/incidents/links.ts';
import {
  hydrateMap,
  type IncidentQuery,
  searchIncidentRows,
  searchMapRows,
  searchPointRows,
} from '../../store/incidents/search.ts';
import { findPost, listPosts } from '../../store/posts/posts.ts';
import { type Actor, actorId, recordAudit } from '../audit/audit.ts';
import { insertNewActor } from './actors.ts';

/** An actor named in an incident: an existing one by id, or by name (matched, or created). */
export type ActorRefInput =
  | { readonly actorId: string; readonly role: ActorRole; readonly confidence: Confidence }
  | {
      readonly name: string;
      readonly type?: ActorType;
      readonly role: ActorRole;
      readonly confidence: Confidence;
    };

export interface IncidentInput {
  readonly occurredAt: string;
  readonly timePrecision?: TimePrecision;
  readonly location: { lat: number; lon: number; precision?: GeoPrecision; place?: string | null };
  readonly type: IncidentType;
  readonly subType: IncidentSubType;
  readonly target?: { text?: string | null; postId?: string | null };
  readonly actors?: readonly ActorRefInput[];
  readonly fatalities?: number | null;
  readonly injuries?: number | null;
  readonly sources?: readonly string[];
  readonly notes?: string | null;
}

export type IncidentPatch = Partial<IncidentInput> & { readonly version?: number };

const invalid = (field: string, message: string) =>
  new WardenError('validation_failed', message, {
    field,
    problems: [{ path: `body/${field}`, message }],
  });

/**
 * An officer logs incidents in their countries, or near their posts (an officer scoped to one
 * post may log what happens within the linking radius of it).
 */
function checkScope(actor: Actor, country: string, near: readonly PostLink[]): void {
  const p = actor.principal;
  if (p && !inScope(p, { country, postIds: near.map((l) => l.postId) })) {
    throw new WardenError('forbidden', `Incidents in ${country} are outside your scope.`, { country });
  }
}

function place(lat: number, lon: number): { country: string; region: string | null } {
  const r = resolvePoint(loadGeography(), lat, lon);
  if (!r.ok) throw invalid('location', r.issue.reason);
  return { country: r.country, region: r.region };
}

function checkTime(ctx: Context, occurredAt: string): string {
  const t = Date.parse(occurredAt);
  if (!Number.isFinite(t)) throw invalid('occurredAt', 'occurredAt must be an ISO date-time');
  if (t > ctx.clock.now().getTime() + 3_600_000) throw invalid('occurredAt', 'occurredAt is in the future');
  return new Date(t).toISOString();
}

function checkType(type: IncidentType, subType: IncidentSubType): void {
  if (!isSubTypeOf(type, subType)) throw invalid('subType', `"${subType}" is not a sub-type of "${type}"`);
}

async function checkTargetPost(db: Db, postId: string | null | undefined): Promise<void> {
  if (postId && !(await findPost(db, postId)))
    throw invalid('target/postId', 'The target post does not exist.');
}

/** Resolves actor references in the caller's transaction, creating actors named for the first time. */
async function resolveActors(
  ctx: Context,
  db: Db,
  by: Actor,
  refs: readonly ActorRefInput[],
): Promise<IncidentActor[]> {
  const known = await findActorsByIds(
    db,
    refs.flatMap((r) => ('actorId' in r ? [r.actorId] : [])),
  );
  const out: IncidentActor[] = [];
  const seen = new Set<string>();
  for (const [i, r] of refs.entries()) {
    let a = 'actorId' in r ? known.get(r.actorId) : await findActorByKey(db, actorKey(r.name));
    if ('actorId' in r && !a) {
      throw new WardenError('unknown_actor', 'No actor has this id.', {
        field: `actors/${i}/actorId`,
        actorId: r.actorId,
      });
    }
    if (!a && 'name' in r) a = await insertNewActor(ctx, db, by, { name: r.name, type: r.type ?? 'unknown' });
    if (!a || seen.has(`${a.id}|${r.role}`)) continue;
    seen.add(`${a.id}|${r.role}`);
    out.push({ actorId: a.id, name: a.name, type: a.type, role: r.role, confidence: r.confidence });
  }
  return out;
}

const cleanList = (xs: readonly string[] | undefined) => [
  ...new Set((xs ?? []).map((s) => s.trim()).filter(Boolean)),
];
const cleanText = (s: string | null | undefined) => (s?.trim() ? s.trim() : null);

const summary = (i: Incident) => ({
  eventId: i.eventId,
  occurredAt: i.occurredAt,
  country: i.country,
  region: i.region,
  type: i.type,
  subType: i.subType,
  location: { lat: i.location.lat, lon: i.location.lon, precision: i.location.precision },
  fatalities: i.fatalities,
  injuries: i.injuries,
  actors: i.actors.map((a) => ({ id: a.actorId, role: a.role, confidence: a.confidence })),
  targetPostId: i.target.postId,
});

/** Writes a new incident (row, actors, links to nearby posts) in the caller's transaction. */
async function insertIncident(db: Db, i: Incident, links: readonly PostLink[]): Promise<void> {
  await insertIncidentRows(db, [incidentToRow(i, null)]);
  await insertIncidentActorRows(db, incidentActorRows(i));
  await insertPostLinkRows(db, postLinkRows(i, links));
}

export async function createIncident(ctx: Context, by: Actor, input: IncidentInput): Promise<IncidentView> {
  const occurredAt = checkTime(ctx, input.occurredAt);
  checkType(input.type, input.subType);
  const { lat, lon } = input.location;
  const { country, region } = place(lat, lon);
  const near = await nearPosts(ctx);
  checkScope(by, country, input.location.precision === 'region' ? [] : near.near(lat, lon));
  const id = orderedId();
  await ctx.store.db.transaction().execute(async (trx) => {
    await checkTargetPost(trx, input.target?.postId);
    const now = iso(ctx.clock.now());
    const incident: Incident = {
      id,
      eventId: null,
      occurredAt,
      timePrecision: input.timePrecision ?? 'exact',
      location: {
        lat,
        lon,
        precision: input.location.precision ?? 'exact',
        place: cleanText(input.location.place),
      },
      country,
      region,
      type: input.type,
      subType: input.subType,
      target: { text: cleanText(input.target?.text), postId: input.target?.postId ?? null },
      actors: await resolveActors(ctx, trx, by, input.actors ?? []),
      fatalities: input.fatalities ?? null,
      injuries: input.injuries ?? null,
      sources: cleanList(input.sources),
      notes: cleanText(input.notes),
      source: null,
      version: 1,
      createdAt: now,
      createdBy: actorId(by),
      updatedAt: now,
      updatedBy: actorId(by),
      retraction: null,
    };
    await insertIncident(trx, incident, linksFor(near, incident));
    await recordAudit(ctx, trx, by, 'incident.create', `incident:${id}`, { after: summary(incident) });
  });
  return (await getIncident(ctx, id))!;
}

async function requireIncident(db: Db, id: string): Promise<Incident> {
  const i = await findIncident(db, id);
  if (!i) throw new WardenError('not_found', 'Incident not found.', { id });
  return i;
}

/**
 * Edits an incident: the full previous state goes to incident_versions, the audit entry names
 * the changed fields. A retracted incident cannot be edited (incident_retracted).
 */
export async function updateIncident(
  ctx: Context,
  by: Actor,
  id: string,
  patch: IncidentPatch,
): Promise<IncidentView> {
  const near = await nearPosts(ctx);
  await ctx.store.db.transaction().execute(async (trx) => {
    const before = await requireIncident(trx, id);
    if (before.retraction)
      throw new WardenError('incident_retracted', 'The incident has been retracted.', { id });
    if (patch.version !== undefined && patch.version !== before.version) {
      throw new WardenError('conflict', 'The incident was changed by someone else; reload it.', {
        id,
        version: before.version,
      });
    }
    const type = patch.type ?? before.type;
    const subType = patch.subType ?? (patch.type && patch.type !== before.type ? undefined : before.subType);
    if (!subType) throw invalid('subType', 'Changing the type needs a sub-type of the new type.');
    checkType(type, subType);
    let { country, region } = before;
    let location = before.location;
    if (patch.location) {
      ({ country, region } = place(patch.location.lat, patch.location.lon));
      location = {
        lat: patch.location.lat,
        lon: patch.location.lon,
        precision: patch.location.precision ?? before.location.precision,
        place: patch.location.place !== undefined ? cleanText(patch.location.place) : before.location.place,
      };
      if (
        country !== before.country ||
        patch.location.lat !== before.location.lat ||
        patch.location.lon !== before.location.lon
      ) {
        checkScope(by, country, near.near(patch.location.lat, patch.location.lon));
      }
    }
    if (patch.target?.postId !== undefined) await checkTargetPost(trx, patch.target.postId);
    const now = iso(ctx.clock.now());
    const after: Incident = {
      ...before,
      occurredAt: patch.occurredAt !== undefined ? checkTime(ctx, patch.occurredAt) : before.occurredAt,
      timePrecision: patch.timePrecision ?? before.timePrecision,
      location,
      country,
      region,
      type,
      subType,
      target: {
        text: patch.target?.text !== undefined ? cleanText(patch.target.text) : before.target.text,
        postId: patch.target?.postId !== undefined ? patch.target.postId : before.target.postId,
      },
      actors: patch.actors ? await resolveActors(ctx, trx, by, patch.actors) : before.actors,
      fatalities: patch.fatalities !== undefined ? patch.fatalities : before.fatalities,
      injuries: patch.injuries !== undefined ? patch.injuries : before.injuries,
      sources: patch.sources ? cleanList(patch.sources) : before.sources,
      notes: patch.notes !== undefined ? cleanText(patch.notes) : before.notes,
      version: before.version + 1,
      updatedAt: now,
      updatedBy: actorId(by),
    };
    const changed = Object.keys(summary(after)).filter(
      (k) =>
        JSON.stringify(summary(after)[k as keyof ReturnType<typeof summary>]) !==
        JSON.stringify(summary(before)[k as keyof ReturnType<typeof summary>]),
    );
    for (const k of ['timePrecision', 'sources', 'notes'] as const) {
      if (JSON.stringify(after[k]) !== JSON.stringify(before[k])) changed.push(k);
    }
    if (after.target.text !== before.target.text) changed.push('targetText');
    if (after.location.place !== before.location.place) changed.push('place');
    await insertVersion(trx, {
      incidentId: id,
      version: before.version,
      state: before,
      replacedAt: now,
      replacedBy: actorId(by),
    });
    await replaceIncident(trx, after, await contentHashOf(trx, id), linksFor(near, after));
    await recordAudit(ctx, trx, by, 'incident.update', `incident:${id}`, {
      version: after.version,
      changed,
      before: summary(before),
      after: summary(after),
    });
  });
  return (await getIncident(ctx, id))!;
}

/** Soft deletion: the incident stays (and is versioned), hidden from searches and trends by default. */
export async function retractIncident(
  ctx: Context,
  by: Actor,
  id: string,
  reason: string,
): Promise<IncidentView> {
  const near = await nearPosts(ctx);
  await ctx.store.db.transaction().execute(async (trx) => {
    const before = await requireIncident(trx, id);
    if (before.retraction) {
      throw new WardenError('incident_retracted', 'The incident has been retracted already.', {
        id,
        retractedAt: before.retraction.at,
      });
    }
    const now = iso(ctx.clock.now());
    const after: Incident = {
      ...before,
      version: before.version + 1,
      updatedAt: now,
      updatedBy: actorId(by),
      retraction: { at: now, by: actorId(by), reason: reason.trim() },
    };
    await insertVersion(trx, {
      incidentId: id,
      version: before.version,
      state: before,
      replacedAt: now,
      replacedBy: actorId(by),
    });
    await replaceIncident(trx, after, await contentHashOf(trx, id), linksFor(near, after));
    await recordAudit(ctx, trx, by, 'incident.retract', `incident:${id}`, {
      version: after.version,
      reason: reason.trim(),
    });
  });
  return (await getIncident(ctx, id))!;
}

export function getIncident(ctx: Context, id: string): Promise<IncidentView | undefined> {
  return findIncidentView(ctx.store.db, id);
}

export async function requireIncidentView(ctx: Context, id: string): Promise<IncidentView> {
  const i = await getIncident(ctx, id);
  if (!i) throw new WardenError('not_found', 'Incident not found.', { id });
  return i;
}

export async function incidentVersions(ctx: Context, id: string): Promise<IncidentVersion[]> {
  await requireIncidentView(ctx, id);
  return listVersions(ctx.store.db, id);
}

export interface IncidentSearch {
  readonly bbox?: string;
  readonly from?: string;
  readonly to?: string;
  readonly type?: string;
  readonly actor?: string;
  readonly postId?: string;
  readonly country?: string;
  readonly includeRetracted?: boolean;
  readonly limit: number;
  readonly cursor?: string;
}

/** Beyond this many countries in view the country list stops narrowing the scan. */
const MAX_COUNTRIES_IN_VIEW = 40;
/** Up to this many 1-degree cells (16 x 16 degrees) a viewport is read from the map index. */
const MAX_CELLS_IN_VIEW = 256;

/** Newest first; `nextCursor` continues the list. */
/** The store query of a search, or null when it can match nothing (an actor no one knows). */
async function searchQuery(ctx: Context, s: IncidentSearch): Promise<IncidentQuery | null> {
  const geo = loadGeography();
  const box = s.bbox ? parseBBox(s.bbox) : undefined;
  let countries: string[] | undefined;
  if (s.country) {
    const c = geo.country(s.country);
    if (!c) throw new WardenError('unknown_country', `Unknown country "${s.country}".`, { field: 'country' });
    countries = [c.code];
  }
  // A viewport is read cell by cell from the map index (of unretracted incidents); a larger one
  // (a continent, the world) by the countries in view, or by time alone.
  const ranges = box && !countries ? cellRanges(box, MAX_CELLS_IN_VIEW) : null;
  if (box && !countries && (!ranges || s.includeRetracted)) {
    const inView = countriesInBBox(geo, box);
    if (inView.length <= MAX_COUNTRIES_IN_VIEW) countries = inView;
  }
  let actorId: string | undefined;
  if (s.actor) {
    const byId = (await findActorsByIds(ctx.store.db, [s.actor])).get(s.actor);
    actorId = byId?.id ?? (await findActorByKey(ctx.store.db, actorKey(s.actor)))?.id;
    if (!actorId) return null;
  }
  if (s.postId) await ensurePostLinks(ctx);
  const { types, subTypes } = s.type ? parseTypes(s.type) : { types: [], subTypes: [] };
  return {
    countries,
    box,
    cells: ranges ? cellsOf(ranges) : undefined,
    from: s.from ? parseTime(s.from, 'from') : undefined,
    to: s.to ? parseTime(s.to, 'to') : undefined,
    types,
    subTypes,
    actorId,
    postId: s.postId,
    includeRetracted: s.includeRetracted,
    after: s.cursor ? decodeCursor(s.cursor) : undefined,
    limit: s.limit + 1,
  };
}

function page<R extends { occurred_at: string; id: string }>(rows: R[], limit: number) {
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  const nextCursor =
    rows.length > limit && last ? encodeCursor({ occurredAt: last.occurred_at, id: last.id }) : null;
  return { kept, nextCursor };
}

/** Newest first; `nextCursor` continues the list. */
export async function searchIncidents(
  ctx: Context,
  s: IncidentSearch,
): Promise<{ incidents: IncidentView[]; nextCursor: string | null }> {
  const q = await searchQuery(ctx, s);
  if (!q) return { incidents: [], nextCursor: null };
  const { kept, nextCursor } = page(await searchIncidentRows(ctx.store.db, q), s.limit);
  return { incidents: await hydrate(ctx.store.db, kept), nextCursor };
}

/**
 * What a map layer draws (id, point, type, time) for the same search, newest first: for a
 * viewport with no other filter than time, from the map index alone. Details are read on click.
 */
export async function searchIncidentPoints(
  ctx: Context,
  s: IncidentSearch,
): Promise<{ points: MapPoint[]; nextCursor: string | null }> {
  const q = await searchQuery(ctx, s);
  if (!q) return { points: [], nextCursor: null };
  const { kept, nextCursor } = page(await searchPointRows(ctx.store.db, q), s.limit);
  return {
    points: kept.map((r) => ({
      id: r.id,
      occurredAt: r.occurred_at,
      lat: Number(r.lat),
      lon: Number(r.lon),
      type: r.type as IncidentType,
    })),
    nextCursor,
  };
}

/** The same search for a map layer: what a point shows, without notes and source columns. */
export async function searchIncidentMap(
  ctx: Context,
  s: IncidentSearch,
): Promise<{ incidents: MapIncident[]; nextCursor: string | null }> {
  const q = await searchQuery(ctx, s);
  if (!q) return { incidents: [], nextCursor: null };
  const { kept, nextCursor } = page(await searchMapRows(ctx.store.db, q), s.limit);
  return { incidents: await hydrateMap(ctx.store.db, kept), nextCursor };
}

export async function incidentAlertSeed(ctx: Context, id: string): Promise<AlertSeed> {
  const i = await requireIncidentView(ctx, id);
  const geo = loadGeography();
  const post = i.target.postId ? await findPost(ctx.store.db, i.target.postId) : undefined;
  return alertSeed(i, {
    country: geo.country(i.country)?.name ?? i.country,
    region: i.region ? (geo.region(i.region)?.name ?? null) : null,
    targetPost: post?.name ?? null,
  });
}

/** Posts as the linker sees them, with the configured radius. */
export async function nearPosts(ctx: Context): Promise<NearPosts> {
  const posts = await listPosts(ctx.store.db);
  return new NearPosts(
    posts.map((p) => ({ id: p.id, lat: p.location.lat, lon: p.location.lon })),
    ctx.config.incidentPostRadiusKm,
  );
}

/** Posts within the radius; none for an incident located only to its region. */
export function linksFor(near: NearPosts, i: Incident): PostLink[] {
  return i.location.precision === 'region' ? [] : near.near(i.location.lat, i.location.lon);
}

/**
 * Recomputes the links of every post that is new, has moved or was linked with another radius
 * since its links were last computed (incident_link_posts remembers where each post was). Writes
 * link incidents to the posts that exist when they are written; this catches up posts created or
 * moved later. Cheap when nothing changed: two small reads.
 */
export async function ensurePostLinks(ctx: Context): Promise<number> {
  const db = ctx.store.db;
  const radiusKm = ctx.config.incidentPostRadiusKm;
  const [posts, states] = await Promise.all([listPosts(db), linkStates(db)]);
  const stale = posts.filter((p) => {
    const s = states.get(p.id);
    return !s || s.lat !== p.location.lat || s.lon !== p.location.lon || s.radiusKm !== radiusKm;
  });
  const geo = loadGeography();
  for (const p of stale) {
    const { lat, lon } = p.location;
    await db.transaction().execute(async (trx) => {
      await lockPostLinks(trx, ctx.store.backend);
      const box = boxAround(lat, lon, radiusKm);
      const rows = [];
      for (const c of await linkCandidates(trx, countriesInBBox(geo, box), box)) {
        const d = distanceKm(lat, lon, c.lat, c.lon);
        if (d > radiusKm) continue;
        rows.push({
          post_id: p.id,
          incident_id: c.id,
          distance_km: roundKm(d),
          occurred_at: c.occurredAt,
          type: c.type,
          retracted_at: c.retractedAt,
        });
      }
      await replacePostLinks(trx, p.id, rows);
      await saveLinkState(trx, { postId: p.id, lat, lon, radiusKm }, iso(ctx.clock.now()));
    });
  }
  return stale.length;
}
