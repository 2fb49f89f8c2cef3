import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { WardenError } from '../../../domain/errors.ts';
import {
  ACTOR_TYPES,
  type ActorType,
  type CONFIDENCES,
  type RELATION_KINDS,
} from '../../../domain/incidents/types.ts';
import {
  addRelation,
  createActor,
  getActorView,
  listActorViews,
  removeRelation,
  updateActor,
} from '../../../services/incidents/actors.ts';
import { actorOf } from '../../plugins/auth.ts';
import { Id, IdParams, literals } from '../../schemas.ts';
import { postResponses } from '../posts/schema.ts';
import {
  ActorBody,
  ActorDetailOut,
  ActorOut,
  ActorPatchBody,
  RelationBody,
  RelationOut,
} from './actors-schema.ts';

export function actorRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['actors'];
    const read = { access: Access.authenticated };
    // Actors are shared reference data (a militia acts across borders): any writer may curate them.
    const write = { access: Access.roles('admin', 'crisis_manager', 'officer') };

    app.get(
      '/api/actors',
      {
        config: read,
        schema: {
          tags,
          summary: 'Actors by name (substring, case-insensitive) and type',
          querystring: Type.Object(
            {
              q: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
              type: Type.Optional(literals(ACTOR_TYPES)),
              limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
            },
            { additionalProperties: false },
          ),
          response: postResponses({ 200: Type.Object({ actors: Type.Array(ActorOut) }) }),
        },
      },
      async (req) => ({
        actors: await listActorViews(ctx, {
          q: req.query.q,
          type: req.query.type as ActorType | undefined,
          limit: req.query.limit,
        }),
      }),
    );

    app.post(
      '/api/actors',
      {
        config: write,
        schema: {
          tags,
          summary: 'Create an actor (names are unique, case-insensitively: actor_exists)',
          body: ActorBody,
          response: postResponses({ 201: Type.Object({ actor: ActorDetailOut }) }),
        },
      },
      async (req, reply) => {
        const actor = await createActor(ctx, actorOf(req), {
          name: req.body.name,
          type: req.body.type as ActorType,
          notes: req.body.notes,
        });
        return reply.status(201).send({ actor: { ...actor, relations: [] } });
      },
    );

    app.get(
      '/api/actors/:id',
      {
        config: read,
        schema: {
          tags,
          summary: 'An actor with its relations (both directions) and how many incidents name it',
          params: IdParams,
          response: postResponses({ 200: Type.Object({ actor: ActorDetailOut }) }),
        },
      },
      async (req) => {
        const actor = await getActorView(ctx, req.params.id);
        if (!actor) throw new WardenError('not_found', 'Actor not found.', { id: req.params.id });
        return { actor: { ...actor, relations: [...actor.relations] } };
      },
    );

    app.patch(
      '/api/actors/:id',
      {
        config: write,
        schema: {
          tags,
          summary: 'Rename an actor, change its type or notes',
          params: IdParams,
          body: ActorPatchBody,
          response: postResponses({ 200: Type.Object({ actor: ActorDetailOut }) }),
        },
      },
      async (req) => {
        const actor = await updateActor(ctx, actorOf(req), req.params.id, {
          name: req.body.name,
          type: req.body.type as ActorType | undefined,
          notes: req.body.notes,
        });
        return { actor: { ...actor, relations: [...actor.relations] } };
      },
    );

    app.post(
      '/api/actors/:id/relations',
      {
        config: write,
        schema: {
          tags,
          summary:
            'Relate this actor to another: directed_by, facilitated_by or part_of (part_of loops: relation_cycle)',
          params: IdParams,
          body: RelationBody,
          response: postResponses({ 201: Type.Object({ relation: RelationOut }) }),
        },
      },
      async (req, reply) => {
        const relation = await addRelation(ctx, actorOf(req), req.params.id, {
          relation: req.body.relation as (typeof RELATION_KINDS)[number],
          toActorId: req.body.toActorId,
          confidence: req.body.confidence as (typeof CONFIDENCES)[number],
          notes: req.body.notes,
        });
        return reply.status(201).send({ relation });
      },
    );

    app.delete(
      '/api/actors/:id/relations/:relationId',
      {
        config: write,
        schema: {
          tags,
          summary: 'Remove a relation of this actor',
          params: Type.Object({ id: Id, relationId: Id }),
          response: postResponses({ 200: Type.Object({ relation: RelationOut }) }),
        },
      },
      async (req) => ({
        relation: await removeRelation(ctx, actorOf(req), req.params.id, req.params.relationId),
      }),
    );
  };
}
