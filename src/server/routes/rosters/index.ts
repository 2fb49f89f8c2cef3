import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { WardenError } from '../../../domain/errors.ts';
import { normalizeEmail, normalizePhone } from '../../../domain/privacy/contact.ts';
import { isAccounted } from '../../../domain/rosters/board.ts';
import type { RosterMember } from '../../../domain/rosters/types.ts';
import { requirePost } from '../../../services/posts/posts.ts';
import { drawdownBoard, setStatus } from '../../../services/rosters/drawdown.ts';
import { addMember, importRoster, readRoster, removeMember } from '../../../services/rosters/roster.ts';
import { actorOf } from '../../plugins/auth.ts';
import { IdParams } from '../../schemas.ts';
import { postScope } from '../posts/index.ts';
import { postResponses } from '../posts/schema.ts';
import {
  DrawdownOut,
  EventOut,
  ImportReportOut,
  MemberBody,
  MemberOut,
  MemberParams,
  StatusBody,
} from './schema.ts';

const ROSTER_CSV_LIMIT = 2 * 1024 * 1024;

/** Members as staff see them, with their household's size and whether the open board counts them. */
function present(members: RosterMember[], boardId: string | null) {
  const households = new Map<string, number>();
  for (const m of members)
    if (m.household) households.set(m.household, (households.get(m.household) ?? 0) + 1);
  return members.map((m) => presentMember(m, households, boardId));
}

function presentMember(m: RosterMember, households: ReadonlyMap<string, number>, boardId: string | null) {
  return {
    id: m.id,
    reference: m.reference,
    kind: m.kind,
    name: m.name,
    role: m.role,
    essential: m.essential,
    email: m.email,
    phone: m.phone,
    household: m.household,
    dependants: m.kind === 'staff' ? (households.get(m.reference) ?? 0) : 0,
    language: m.language,
    status: m.status,
    location: m.location,
    statusAt: m.statusAt,
    statusSource: m.statusSource,
    accounted: boardId !== null && isAccounted(m, boardId),
  };
}

/** Staff routes of a post's roster and drawdown board (personal data: officers in scope and up). */
export function rosterRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const scope = (req: FastifyRequest) => postScope(ctx, req);
    const personal = { access: Access.scoped('admin', 'crisis_manager', 'officer'), resourceScope: scope };
    const counts = {
      access: Access.scoped('admin', 'crisis_manager', 'officer', 'viewer'),
      resourceScope: scope,
    };
    const tags = ['rosters'];

    // Only this plugin's routes see the parser: a roster is small, so it is read whole.
    app.addContentTypeParser(
      ['text/csv', 'application/csv'],
      { parseAs: 'string', bodyLimit: ROSTER_CSV_LIMIT },
      (_req, body, done) => done(null, body),
    );

    app.get(
      '/api/posts/:id/roster',
      {
        config: personal,
        schema: {
          tags,
          summary: "The post's staff and family with their status (an audited read of personal data)",
          params: IdParams,
          response: postResponses({ 200: Type.Object({ members: Type.Array(MemberOut) }) }),
        },
      },
      async (req) => {
        const members = await readRoster(ctx, actorOf(req), req.params.id);
        const board = (await drawdownBoard(ctx, req.params.id)).board;
        return { members: present(members, board?.id ?? null) };
      },
    );

    app.post(
      '/api/posts/:id/roster',
      {
        config: personal,
        schema: {
          tags,
          summary: 'Add a staff or family member to the roster',
          params: IdParams,
          body: MemberBody,
          response: postResponses({ 201: Type.Object({ member: MemberOut }) }),
        },
      },
      async (req, reply) => {
        const post = await requirePost(ctx.store.db, req.params.id);
        const b = req.body;
        const email = b.email ? normalizeEmail(b.email) : null;
        if (b.email && !email)
          throw new WardenError('invalid_email', 'Not an email address.', { field: 'email' });
        const phone = b.phone ? normalizePhone(b.phone, post.country) : null;
        if (b.phone && !phone)
          throw new WardenError('invalid_phone', 'Not a phone number.', { field: 'phone' });
        const member = await addMember(ctx, actorOf(req), post.id, {
          reference: b.reference.trim(),
          kind: b.kind,
          name: b.name.trim(),
          role: b.role.trim(),
          essential: b.essential,
          email,
          phone,
          household: b.household?.trim() || null,
          language: b.language ?? 'en',
        });
        return reply.status(201).send({ member: presentMember(member, new Map(), null) });
      },
    );

    app.post(
      '/api/posts/:id/roster/import',
      {
        config: personal,
        schema: {
          tags,
          summary:
            'Import the roster from CSV (Content-Type: text/csv): adds or updates by reference; a file with any bad row imports nothing and lists every problem',
          params: IdParams,
          response: postResponses({ 200: Type.Object({ report: ImportReportOut }) }),
        },
      },
      async (req) => {
        if (typeof req.body !== 'string') {
          throw new WardenError('unsupported_media_type', 'Send the roster as text/csv.', {
            expected: 'text/csv',
          });
        }
        const r = await importRoster(ctx, actorOf(req), req.params.id, req.body);
        return { report: { rows: r.rows, created: r.created, updated: r.updated } };
      },
    );

    app.put(
      '/api/posts/:id/roster/:memberId/status',
      {
        config: personal,
        schema: {
          tags,
          summary: 'Set where a member is (relocated needs a location); recorded on the open drawdown board',
          params: MemberParams,
          body: StatusBody,
          response: postResponses({ 200: Type.Object({ event: EventOut }) }),
        },
      },
      async (req) => ({
        event: await setStatus(ctx, actorOf(req), req.params.id, req.params.memberId, {
          status: req.body.status,
          location: req.body.location ?? null,
        }),
      }),
    );

    app.delete(
      '/api/posts/:id/roster/:memberId',
      {
        config: personal,
        schema: {
          tags,
          summary: 'Remove a member and their history (family before their staff member)',
          params: MemberParams,
          response: postResponses({ 204: Type.Null() }),
        },
      },
      async (req, reply) => {
        await removeMember(ctx, actorOf(req), req.params.id, req.params.memberId);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/posts/:id/drawdown',
      {
        config: counts,
        schema: {
          tags,
          summary: 'The drawdown board: live headcounts, recent status changes, and every earlier board',
          params: IdParams,
          response: postResponses({ 200: DrawdownOut }),
        },
      },
      async (req) => {
        const v = await drawdownBoard(ctx, req.params.id);
        const board = (b: NonNullable<typeof v.board>) => ({
          id: b.id,
          state: b.state,
          openedAt: b.openedAt,
          closedAt: b.closedAt,
          finalCounts: b.finalCounts,
        });
        return {
          board: v.board ? board(v.board) : null,
          counts: v.counts,
          events: v.events.map((e) => ({
            id: e.id,
            memberId: e.memberId,
            status: e.status,
            location: e.location,
            source: e.source,
            at: e.at,
            by: e.by,
          })),
          history: v.history.map(board),
        };
      },
    );
  };
}
