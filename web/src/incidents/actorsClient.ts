import type { Static } from 'typebox';
import type {
  ActorBody,
  ActorDetailOut,
  ActorOut,
  ActorPatchBody,
  RelationBody,
  RelationOut,
} from '../../../src/server/routes/incidents/actors-schema.ts';
import { apiJson } from '../app/api.ts';
import { query } from '../app/util.ts';

// The actors API (src/server/routes/incidents/actors.ts), typed by its route schemas.

export type Actor = Static<typeof ActorOut>;
export type ActorView = Static<typeof ActorDetailOut>;
export type Relation = Static<typeof RelationOut>;
export type ActorBrief = Relation['from'];
export type ActorInput = Static<typeof ActorBody>;
export type ActorPatch = Static<typeof ActorPatchBody>;
export type RelationInput = Static<typeof RelationBody>;

const path = (id: string) => `/api/actors/${encodeURIComponent(id)}`;

export async function fetchActors(
  filter: { q?: string; type?: string; limit?: number } = {},
  signal?: AbortSignal,
): Promise<Actor[]> {
  const body = await apiJson<{ actors: Actor[] }>(`/api/actors${query(filter)}`, { signal });
  return body.actors;
}

export async function fetchActor(id: string, signal?: AbortSignal): Promise<ActorView> {
  const body = await apiJson<{ actor: ActorView }>(path(id), { signal });
  return body.actor;
}

export async function createActor(input: ActorInput): Promise<ActorView> {
  const body = await apiJson<{ actor: ActorView }>('/api/actors', { method: 'POST', body: input });
  return body.actor;
}

export async function updateActor(id: string, patch: ActorPatch): Promise<ActorView> {
  const body = await apiJson<{ actor: ActorView }>(path(id), { method: 'PATCH', body: patch });
  return body.actor;
}

export async function addRelation(id: string, input: RelationInput): Promise<Relation> {
  const body = await apiJson<{ relation: Relation }>(`${path(id)}/relations`, {
    method: 'POST',
    body: input,
  });
  return body.relation;
}

export async function removeRelation(actorId: string, relationId: string): Promise<Relation> {
  const body = await apiJson<{ relation: Relation }>(
    `${path(actorId)}/relations/${encodeURIComponent(relationId)}`,
    { method: 'DELETE' },
  );
  return body.relation;
}
