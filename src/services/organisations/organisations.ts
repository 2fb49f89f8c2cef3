import type { Context } from '../../context.ts';
import type { OrganisationPrincipal } from '../../domain/auth/principal.ts';
import { iso } from '../../domain/clock.ts';
import { randomToken, sha256Hex } from '../../domain/crypto.ts';
import { WardenError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import {
  countPersonsByOrganisation,
  findLiveOrganisationToken,
  findOrganisation,
  findOrganisationByNameKey,
  insertOrganisation,
  insertOrganisationToken,
  listImportRows,
  listOrganisationRows,
  listOrganisationTokens,
  markOrganisationTokenUsed,
  type OrganisationImportRow,
  type OrganisationRow,
  type OrganisationTokenRow,
  revokeOrganisationTokenRow,
  updateOrganisationRow,
} from '../../store/organisations/organisations.ts';
import { type Actor, actorId, recordAudit } from '../audit/audit.ts';

/** Organisation API tokens: distinct from staff tokens (`wdn_`), so neither passes for the other. */
export const ORG_TOKEN_PREFIX = 'wor_';

export interface OrganisationToken {
  readonly id: string;
  readonly label: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export interface Organisation {
  readonly id: string;
  readonly name: string;
  readonly notes: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly disabledAt: string | null;
  /** Its people receive Exercise and Test alerts. */
  readonly drillParticipant: boolean;
  /** People the organisation has enrolled. */
  readonly persons: number;
  readonly tokens: OrganisationToken[];
}

const presentToken = (t: OrganisationTokenRow): OrganisationToken => ({
  id: t.id,
  label: t.label,
  createdAt: t.created_at,
  createdBy: t.created_by,
  lastUsedAt: t.last_used_at,
  revokedAt: t.revoked_at,
});

const nameKey = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

async function present(ctx: Context, rows: OrganisationRow[]): Promise<Organisation[]> {
  const ids = rows.map((r) => r.id);
  const persons = await countPersonsByOrganisation(ctx.store.db, ids);
  const tokens = await listOrganisationTokens(ctx.store.db, ids);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    notes: r.notes,
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    disabledAt: r.disabled_at,
    drillParticipant: r.drill_participant === 1,
    persons: persons.get(r.id) ?? 0,
    tokens: tokens.filter((t) => t.organisation_id === r.id).map(presentToken),
  }));
}

export async function listOrganisations(ctx: Context): Promise<Organisation[]> {
  return present(ctx, await listOrganisationRows(ctx.store.db));
}

export async function requireOrganisation(ctx: Context, id: string): Promise<OrganisationRow> {
  const row = await findOrganisation(ctx.store.db, id);
  if (!row) throw new WardenError('not_found', 'Organisation not found.', { id });
  return row;
}

/** An organisation by its id or its exact name (any case), for the command line. */
export async function findOrganisationRef(ctx: Context, ref: string): Promise<OrganisationRow> {
  const row =
    (await findOrganisation(ctx.store.db, ref)) ??
    (await findOrganisationByNameKey(ctx.store.db, nameKey(ref)));
  if (!row) throw new WardenError('not_found', `No organisation with the id or name "${ref}".`, { ref });
  return row;
}

export async function getOrganisation(ctx: Context, id: string): Promise<Organisation> {
  const [org] = await present(ctx, [await requireOrganisation(ctx, id)]);
  return org!;
}

async function checkNameFree(ctx: Context, name: string, except?: string): Promise<void> {
  const other = await findOrganisationByNameKey(ctx.store.db, nameKey(name));
  if (other && other.id !== except) {
    throw new WardenError('conflict', 'An organisation with this name already exists.', {
      field: 'name',
      id: other.id,
    });
  }
}

export async function createOrganisation(
  ctx: Context,
  actor: Actor,
  input: { name: string; notes?: string | null },
): Promise<Organisation> {
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (!name) throw new WardenError('validation_failed', 'The name is empty.', { field: 'name' });
  await checkNameFree(ctx, name);
  const now = iso(ctx.clock.now());
  const row: OrganisationRow = {
    id: newId(),
    name,
    name_key: nameKey(name),
    notes: input.notes?.trim() || null,
    created_at: now,
    created_by: actorId(actor),
    updated_at: now,
    disabled_at: null,
  };
  await ctx.store.db.transaction().execute(async (trx) => {
    await insertOrganisation(trx, row);
    await recordAudit(ctx, trx, actor, 'organisation.create', `organisation:${row.id}`, {
      after: { name: row.name },
    });
  });
  return getOrganisation(ctx, row.id);
}

export interface OrganisationPatch {
  readonly name?: string;
  readonly notes?: string | null;
  /** true disables the organisation (its tokens stop working); false enables it again. */
  readonly disabled?: boolean;
  /** Its people take part in drills (Exercise and Test alerts reach them). */
  readonly drillParticipant?: boolean;
}

export async function updateOrganisation(
  ctx: Context,
  actor: Actor,
  id: string,
  patch: OrganisationPatch,
): Promise<Organisation> {
  const before = await requireOrganisation(ctx, id);
  const name = patch.name?.trim().replace(/\s+/g, ' ');
  if (name === '') throw new WardenError('validation_failed', 'The name is empty.', { field: 'name' });
  if (name !== undefined) await checkNameFree(ctx, name, id);
  const now = iso(ctx.clock.now());
  const set = {
    updated_at: now,
    ...(name !== undefined && { name, name_key: nameKey(name) }),
    ...(patch.notes !== undefined && { notes: patch.notes?.trim() || null }),
    ...(patch.disabled !== undefined && { disabled_at: patch.disabled ? (before.disabled_at ?? now) : null }),
    ...(patch.drillParticipant !== undefined && { drill_participant: patch.drillParticipant ? 1 : 0 }),
  };
  await ctx.store.db.transaction().execute(async (trx) => {
    await updateOrganisationRow(trx, id, set);
    await recordAudit(ctx, trx, actor, 'organisation.update', `organisation:${id}`, {
      before: {
        name: before.name,
        disabled: before.disabled_at !== null,
        drill: before.drill_participant === 1,
      },
      after: {
        name: name ?? before.name,
        disabled: (set.disabled_at ?? before.disabled_at) !== null,
        drill: patch.drillParticipant ?? before.drill_participant === 1,
      },
      fields: Object.keys(patch).sort(),
    });
  });
  return getOrganisation(ctx, id);
}

/** A new token for the organisation; the secret is returned once and only its hash is stored. */
export async function createOrganisationToken(
  ctx: Context,
  actor: Actor,
  organisationId: string,
  label: string,
): Promise<{ token: OrganisationToken; secret: string }> {
  await requireOrganisation(ctx, organisationId);
  const secret = `${ORG_TOKEN_PREFIX}${randomToken()}`;
  const row: OrganisationTokenRow = {
    id: newId(),
    organisation_id: organisationId,
    label: label.trim(),
    token_hash: sha256Hex(secret),
    created_at: iso(ctx.clock.now()),
    created_by: actorId(actor),
    last_used_at: null,
    revoked_at: null,
  };
  await ctx.store.db.transaction().execute(async (trx) => {
    await insertOrganisationToken(trx, row);
    await recordAudit(ctx, trx, actor, 'organisation.token.create', `organisation:${organisationId}`, {
      tokenId: row.id,
      label: row.label,
    });
  });
  return { token: presentToken(row), secret };
}

export async function revokeOrganisationToken(
  ctx: Context,
  actor: Actor,
  organisationId: string,
  tokenId: string,
): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    if (!(await revokeOrganisationTokenRow(trx, organisationId, tokenId, iso(ctx.clock.now())))) {
      throw new WardenError('not_found', 'Token not found.', { id: tokenId });
    }
    await recordAudit(ctx, trx, actor, 'organisation.token.revoke', `organisation:${organisationId}`, {
      tokenId,
    });
  });
}

/** The organisation a bearer token stands for; revoked tokens and disabled organisations fail alike. */
export async function resolveOrganisationToken(
  ctx: Context,
  token: string,
): Promise<{ organisation: OrganisationPrincipal } | { error: 'invalid_token' }> {
  if (!token.startsWith(ORG_TOKEN_PREFIX)) return { error: 'invalid_token' };
  const found = await findLiveOrganisationToken(ctx.store.db, sha256Hex(token));
  if (!found) return { error: 'invalid_token' };
  const now = iso(ctx.clock.now());
  // At most one write a minute per token: a busy integration must not turn reads into writes.
  if (!found.lastUsedAt || Date.parse(now) - Date.parse(found.lastUsedAt) > 60_000) {
    await markOrganisationTokenUsed(ctx.store.db, found.id, now);
  }
  return { organisation: { organisationId: found.organisationId, tokenId: found.id } };
}

/** The actor an organisation's own calls are audited as. */
export const organisationActor = (p: OrganisationPrincipal, requestId: string | null): Actor => ({
  principal: null,
  requestId,
  label: `organisation:${p.organisationId}`,
});

export interface ImportSummary {
  readonly id: string;
  readonly actor: string;
  readonly via: string;
  readonly status: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly bytes: number;
  readonly rows: number;
  readonly persons: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly errorCount: number;
  readonly error: string | null;
}

export const presentImport = (r: OrganisationImportRow): ImportSummary => ({
  id: r.id,
  actor: r.actor,
  via: r.via,
  status: r.status,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  bytes: r.bytes,
  rows: r.rows,
  persons: r.persons,
  created: r.created,
  updated: r.updated,
  unchanged: r.unchanged,
  failed: r.failed,
  errorCount: r.error_count,
  error: r.error,
});

/** The organisation's imports, newest first (counts only: the rows' errors went to the uploader). */
export async function listImports(
  ctx: Context,
  organisationId: string,
  limit = 100,
): Promise<ImportSummary[]> {
  await requireOrganisation(ctx, organisationId);
  return (await listImportRows(ctx.store.db, organisationId, limit)).map(presentImport);
}
