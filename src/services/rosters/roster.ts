import type { Context } from '../../context.ts';
import { iso } from '../../domain/clock.ts';
import { WardenError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import { PersonCipher } from '../../domain/privacy/person-cipher.ts';
import { parseRosterCsv, type RosterRowError } from '../../domain/rosters/csv.ts';
import type { RosterMember, RosterMemberInput } from '../../domain/rosters/types.ts';
import type { Db } from '../../store/db.ts';
import {
  deleteMember,
  findMember,
  insertMember,
  listMembers,
  type SealedMember,
  updateMemberDetails,
} from '../../store/rosters/members.ts';
import { type Actor, actorId, recordAudit } from '../audit/audit.ts';
import { requirePost } from '../posts/posts.ts';

/*
 * A post's roster of staff and family. Names and contacts are sealed per member (as travellers'
 * are) and opened only for staff in the post's scope; every read that opens them is audited.
 */

export function openMember(ctx: Context, m: SealedMember): RosterMember {
  const cipher = PersonCipher.open(ctx.privacy.kek, m.id, m.wrappedKey);
  const { wrappedKey: _k, nameEnc, emailEnc, phoneEnc, ...rest } = m;
  return {
    ...rest,
    name: cipher.decrypt('name', nameEnc),
    email: emailEnc === null ? null : cipher.decrypt('email', emailEnc),
    phone: phoneEnc === null ? null : cipher.decrypt('phone', phoneEnc),
  };
}

function seal(
  kek: Buffer,
  existing: SealedMember | undefined,
  postId: string,
  input: RosterMemberInput,
  now: string,
  by: string,
): SealedMember {
  const id = existing?.id ?? newId();
  const { cipher, wrappedKey } = existing
    ? { cipher: PersonCipher.open(kek, id, existing.wrappedKey), wrappedKey: existing.wrappedKey }
    : PersonCipher.create(kek, id);
  return {
    id,
    postId,
    reference: input.reference,
    kind: input.kind,
    role: input.role,
    essential: input.essential,
    household: input.household,
    language: input.language,
    status: existing?.status ?? 'at_post',
    location: existing?.location ?? null,
    statusAt: existing?.statusAt ?? now,
    statusBy: existing?.statusBy ?? by,
    statusSource: existing?.statusSource ?? 'import',
    statusBoardId: existing?.statusBoardId ?? null,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
    wrappedKey,
    nameEnc: cipher.encrypt('name', input.name),
    emailEnc: input.email === null ? null : cipher.encrypt('email', input.email),
    phoneEnc: input.phone === null ? null : cipher.encrypt('phone', input.phone),
  };
}

/** The roster with names and contacts opened: an audited read of personal data. */
export async function readRoster(ctx: Context, actor: Actor, postId: string): Promise<RosterMember[]> {
  await requirePost(ctx.store.db, postId);
  return ctx.store.db.transaction().execute(async (trx) => {
    const sealed = await listMembers(trx, postId);
    await recordAudit(ctx, trx, actor, 'roster.read', `post:${postId}`, { members: sealed.length });
    return sealed.map((m) => openMember(ctx, m));
  });
}

export async function requireMember(db: Db, postId: string, memberId: string): Promise<SealedMember> {
  const m = await findMember(db, memberId);
  // Another post's member is "not found" here: the scope check was made on this post.
  if (!m || m.postId !== postId)
    throw new WardenError('not_found', 'Roster member not found.', { id: memberId });
  return m;
}

export interface ImportReport {
  readonly rows: number;
  readonly created: number;
  readonly updated: number;
  readonly errors: RosterRowError[];
}

/**
 * Adds or updates members from a CSV (by reference; statuses are kept). All or nothing: a file
 * with any bad row imports nothing and answers `invalid_csv` with every problem, row by row.
 */
export async function importRoster(
  ctx: Context,
  actor: Actor,
  postId: string,
  csv: string,
): Promise<ImportReport> {
  const post = await requirePost(ctx.store.db, postId);
  return ctx.store.db.transaction().execute(async (trx) => {
    const existing = new Map((await listMembers(trx, postId)).map((m) => [m.reference, m]));
    const staff = new Set([...existing.values()].filter((m) => m.kind === 'staff').map((m) => m.reference));
    const parsed = parseRosterCsv(csv, post.country, staff);
    if (parsed.errors.length > 0) {
      throw new WardenError(
        'invalid_csv',
        `${parsed.errors.length} problem(s) in the file; nothing was imported.`,
        {
          errors: parsed.errors,
        },
      );
    }
    if (parsed.members.length === 0) {
      throw new WardenError('invalid_csv', 'The file has no rows; nothing was imported.', { errors: [] });
    }
    const now = iso(ctx.clock.now());
    const by = actorId(actor);
    let created = 0;
    let updated = 0;
    for (const input of parsed.members) {
      const old = existing.get(input.reference);
      const m = seal(ctx.privacy.kek, old, postId, input, now, by);
      if (old) {
        await updateMemberDetails(trx, m);
        updated++;
      } else {
        await insertMember(trx, m);
        created++;
      }
    }
    await recordAudit(ctx, trx, actor, 'roster.import', `post:${postId}`, {
      rows: parsed.members.length,
      created,
      updated,
    });
    return { rows: parsed.members.length, created, updated, errors: [] };
  });
}

/** Adds one member (reference unique per post). */
export async function addMember(
  ctx: Context,
  actor: Actor,
  postId: string,
  input: RosterMemberInput,
): Promise<RosterMember> {
  await requirePost(ctx.store.db, postId);
  return ctx.store.db.transaction().execute(async (trx) => {
    const members = await listMembers(trx, postId);
    if (members.some((m) => m.reference === input.reference)) {
      throw new WardenError('conflict', `Reference ${input.reference} is already on the roster.`, {
        field: 'reference',
      });
    }
    if (input.kind === 'family') {
      const head = members.find((m) => m.reference === input.household && m.kind === 'staff');
      if (!head) {
        throw new WardenError(
          'validation_failed',
          `No staff member with reference ${input.household ?? ''}.`,
          {
            field: 'household',
          },
        );
      }
    } else if (input.household !== null) {
      throw new WardenError('validation_failed', 'Staff head their own household; leave household empty.', {
        field: 'household',
      });
    }
    const m = seal(ctx.privacy.kek, undefined, postId, input, iso(ctx.clock.now()), actorId(actor));
    await insertMember(trx, m);
    await recordAudit(ctx, trx, actor, 'roster.add', `roster_member:${m.id}`, { postId, kind: m.kind });
    return openMember(ctx, m);
  });
}

/**
 * Removes a member and everything about them (their events go too; the board's closed headcounts
 * keep the numbers). A staff member's family must be removed first.
 */
export async function removeMember(
  ctx: Context,
  actor: Actor,
  postId: string,
  memberId: string,
): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const m = await requireMember(trx, postId, memberId);
    if (m.kind === 'staff') {
      const family = (await listMembers(trx, postId)).filter((x) => x.household === m.reference);
      if (family.length > 0) {
        throw new WardenError('conflict', 'Remove the family members of this household first.', {
          family: family.map((f) => f.id),
        });
      }
    }
    await deleteMember(trx, memberId);
    await recordAudit(ctx, trx, actor, 'roster.remove', `roster_member:${memberId}`, { postId });
  });
}
