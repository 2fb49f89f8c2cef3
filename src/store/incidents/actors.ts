import { sql } from 'kysely';
import type {
  Actor,
  ActorRelation,
  ActorType,
  Confidence,
  RelationKind,
} from '../../domain/incidents/types.ts';
import type { Backend, Db } from '../db.ts';
import { LOCK, lockFor } from '../locks.ts';
import type { ActorRelationTable, ActorTable } from './tables.ts';

export const actorRowToActor = (r: ActorTable): Actor => ({
  id: r.id,
  name: r.name,
  type: r.type as ActorType,
  notes: r.notes,
  createdAt: r.created_at,
  createdBy: r.created_by,
  updatedAt: r.updated_at,
});

export const relationRowToRelation = (r: ActorRelationTable): ActorRelation => ({
  id: r.id,
  fromActorId: r.from_actor_id,
  relation: r.relation as RelationKind,
  toActorId: r.to_actor_id,
  confidence: r.confidence as Confidence,
  notes: r.notes,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

const actorToRow = (a: Actor, nameKey: string): ActorTable => ({
  id: a.id,
  name: a.name,
  name_key: nameKey,
  type: a.type,
  notes: a.notes,
  created_at: a.createdAt,
  created_by: a.createdBy,
  updated_at: a.updatedAt,
});

/** Serialises relation writes across processes (the part_of cycle check reads every edge). */
export async function lockActorRelations(db: Db, backend: Backend): Promise<void> {
  await lockFor(db, backend, LOCK.actorRelations);
}

export async function insertActor(db: Db, a: Actor, nameKey: string): Promise<void> {
  await db.insertInto('actors').values(actorToRow(a, nameKey)).execute();
}

/** Inserts actors whose name is not taken yet (concurrent imports may create the same one). */
export async function insertActorsIfAbsent(
  db: Db,
  actors: readonly { actor: Actor; nameKey: string }[],
): Promise<void> {
  for (let i = 0; i < actors.length; i += 500) {
    const rows = actors.slice(i, i + 500).map((x) => actorToRow(x.actor, x.nameKey));
    await db
      .insertInto('actors')
      .values(rows)
      .onConflict((oc) => oc.column('name_key').doNothing())
      .execute();
  }
}

export async function updateActorRow(db: Db, a: Actor, nameKey: string): Promise<void> {
  await db
    .updateTable('actors')
    .set({ name: a.name, name_key: nameKey, type: a.type, notes: a.notes, updated_at: a.updatedAt })
    .where('id', '=', a.id)
    .execute();
}

/** Gives a type to actors first met without one (an associated actor later seen with an inter code). */
export async function setActorTypes(
  db: Db,
  ids: readonly string[],
  type: ActorType,
  at: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('actors')
    .set({ type, updated_at: at })
    .where('id', 'in', ids)
    .where('type', '=', 'unknown')
    .execute();
}

export async function findActor(db: Db, id: string): Promise<Actor | undefined> {
  const r = await db.selectFrom('actors').selectAll().where('id', '=', id).executeTakeFirst();
  return r && actorRowToActor(r);
}

export async function findActorByKey(db: Db, nameKey: string): Promise<Actor | undefined> {
  const r = await db.selectFrom('actors').selectAll().where('name_key', '=', nameKey).executeTakeFirst();
  return r && actorRowToActor(r);
}

export async function findActorsByIds(db: Db, ids: readonly string[]): Promise<Map<string, Actor>> {
  const out = new Map<string, Actor>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db
      .selectFrom('actors')
      .selectAll()
      .where('id', 'in', ids.slice(i, i + 1000))
      .execute();
    for (const r of rows) out.set(r.id, actorRowToActor(r));
  }
  return out;
}

export async function findActorsByKeys(db: Db, keys: readonly string[]): Promise<Map<string, Actor>> {
  const out = new Map<string, Actor>();
  for (let i = 0; i < keys.length; i += 1000) {
    const rows = await db
      .selectFrom('actors')
      .selectAll()
      .where('name_key', 'in', keys.slice(i, i + 1000))
      .execute();
    for (const r of rows) out.set(r.name_key, actorRowToActor(r));
  }
  return out;
}

/** name_key -> id and type of every actor: an import matches names in memory. */
export async function actorKeyIndex(db: Db): Promise<Map<string, { id: string; type: ActorType }>> {
  const rows = await db.selectFrom('actors').select(['id', 'name_key', 'type']).execute();
  return new Map(rows.map((r) => [r.name_key, { id: r.id, type: r.type as ActorType }]));
}

export interface ActorFilter {
  readonly q?: string;
  readonly type?: ActorType;
  readonly limit: number;
}

export async function listActors(db: Db, f: ActorFilter): Promise<Actor[]> {
  let q = db.selectFrom('actors').selectAll().orderBy('name_key').limit(f.limit);
  if (f.q) {
    const escaped = f.q.replace(/[\\%_]/g, (c) => `\\${c}`);
    q = q.where(sql<boolean>`name_key LIKE ${`%${escaped}%`} ESCAPE '\\'`);
  }
  if (f.type) q = q.where('type', '=', f.type);
  return (await q.execute()).map(actorRowToActor);
}

export async function countActorIncidents(db: Db, id: string): Promise<number> {
  const r = await db
    .selectFrom('incident_actors')
    .select((eb) => eb.fn.count<string | number>('incident_id').distinct().as('n'))
    .where('actor_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertRelation(db: Db, r: ActorRelation): Promise<void> {
  await db
    .insertInto('actor_relations')
    .values({
      id: r.id,
      from_actor_id: r.fromActorId,
      relation: r.relation,
      to_actor_id: r.toActorId,
      confidence: r.confidence,
      notes: r.notes,
      created_at: r.createdAt,
      created_by: r.createdBy,
    })
    .execute();
}

export async function findRelation(db: Db, id: string): Promise<ActorRelation | undefined> {
  const r = await db.selectFrom('actor_relations').selectAll().where('id', '=', id).executeTakeFirst();
  return r && relationRowToRelation(r);
}

export async function findEdge(
  db: Db,
  from: string,
  relation: RelationKind,
  to: string,
): Promise<ActorRelation | undefined> {
  const r = await db
    .selectFrom('actor_relations')
    .selectAll()
    .where('from_actor_id', '=', from)
    .where('relation', '=', relation)
    .where('to_actor_id', '=', to)
    .executeTakeFirst();
  return r && relationRowToRelation(r);
}

export async function deleteRelation(db: Db, id: string): Promise<void> {
  await db.deleteFrom('actor_relations').where('id', '=', id).execute();
}

/** Relations from and to an actor. */
export async function relationsOf(db: Db, actorId: string): Promise<ActorRelation[]> {
  const rows = await db
    .selectFrom('actor_relations')
    .selectAll()
    .where((eb) => eb.or([eb('from_actor_id', '=', actorId), eb('to_actor_id', '=', actorId)]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(relationRowToRelation);
}

/** Every part_of edge: actor -> the actors it is part of. */
export async function partOfEdges(db: Db): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('actor_relations')
    .select(['from_actor_id', 'to_actor_id'])
    .where('relation', '=', 'part_of')
    .execute();
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const list = out.get(r.from_actor_id);
    if (list) list.push(r.to_actor_id);
    else out.set(r.from_actor_id, [r.to_actor_id]);
  }
  return out;
}
