import { apiJson } from '../app/api.ts';
import { query } from '../app/util.ts';
import type { ActorType, Confidence, RelationKind } from './taxonomy.ts';

// Shapes of src/server/routes/incidents/actors.ts (src/services/incidents/actors.ts).

export interface Actor {
  id: string;
  name: string;
  type: ActorType | string;
  notes: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export interface ActorBrief {
  id: string;
  name: string;
  type: ActorType | string;
}

export interface Relation {
  id: string;
  relation: RelationKind | string;
  confidence: Confidence | string;
  notes: string | null;
  from: ActorBrief;
  to: ActorBrief;
  createdAt: string;
  createdBy: string;
}

export interface ActorView extends Actor {
  relations: Relation[];
  incidentCount: number;
}

export interface ActorInput {
  name: string;
  type: ActorType;
  notes?: string | null;
}

export interface RelationInput {
  relation: RelationKind;
  toActorId: string;
  confidence: Confidence;
  notes?: string | null;
}

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

export async function updateActor(id: string, patch: Partial<ActorInput>): Promise<ActorView> {
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
