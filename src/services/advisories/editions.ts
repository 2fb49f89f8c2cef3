import type { Context } from '../../context.ts';
import {
  contentAsInput,
  type Edition,
  type EditionContent,
  type EditionInput,
  validateEditionContent,
} from '../../domain/advisories/edition.ts';
import { defaultNextReview } from '../../domain/advisories/levels.ts';
import { type CurrentAdvisory, currentAdvisory, type Review } from '../../domain/advisories/review.ts';
import { iso } from '../../domain/clock.ts';
import { WardenError } from '../../domain/errors.ts';
import { loadGeography } from '../../domain/geo/index.ts';
import { newId } from '../../domain/ids.ts';
import {
  archiveEditionRow,
  deleteDraftRow,
  findCurrentEdition,
  findEdition,
  insertEdition,
  insertReview,
  listReviews,
  lockCountry,
  nextEditionNumber,
  publishEditionRow,
  updateDraftRow,
} from '../../store/advisories/advisories.ts';
import type { Db } from '../../store/db.ts';
import { bumpRevision } from '../../store/revisions.ts';
import { type Actor, actorId, recordAudit } from '../audit/audit.ts';
import { recordAdvisoryNotice } from '../subscriptions/notices.ts';
import { resolveOpenTasks } from '../tasks/tasks.ts';

/** The public cache revision every advisory read depends on. */
export const ADVISORIES_REVISION = 'advisories';

/** ISO alpha-2 (or alpha-3) to the canonical alpha-2, or unknown_country. */
export function countryCode(raw: string): string {
  const c = loadGeography().country(raw);
  if (!c) throw new WardenError('unknown_country', `Unknown country "${raw}".`, { country: raw });
  return c.code;
}

export const countryName = (code: string): string => loadGeography().country(code)?.name ?? code;

/** The audit trail records what an edition says, not its whole text. */
const auditSummary = (e: EditionContent & { status?: string; number?: number | null }) => ({
  ...(e.status && { status: e.status }),
  ...(e.number != null && { number: e.number }),
  level: e.level,
  indicators: e.indicators,
  zones: e.zones.map((z) => ({
    name: z.name,
    level: z.level,
    indicators: z.indicators,
    regions: z.regions,
    drawn: !!z.geometry,
  })),
  minor: e.minor,
  changeNote: e.changeNote,
  nextReviewDue: e.nextReviewDue,
});

export const notFound = (id: string) => new WardenError('not_found', 'Advisory edition not found.', { id });
const notDraft = (e: Pick<Edition, 'id' | 'status'>) =>
  new WardenError('edition_not_draft', `The edition is ${e.status}; published editions are never edited.`, {
    id: e.id,
    status: e.status,
  });

export async function createDraft(
  ctx: Context,
  actor: Actor,
  countryRaw: string,
  input: EditionInput,
): Promise<Edition> {
  const country = countryCode(countryRaw);
  const now = ctx.clock.now();
  const content = validateEditionContent(country, input, now, loadGeography());
  return ctx.store.db.transaction().execute(async (trx) => {
    const current = await findCurrentEdition(trx, country);
    const at = iso(now);
    const edition: Edition = {
      ...content,
      id: newId(),
      country,
      number: null,
      status: 'draft',
      baseEditionId: current?.id ?? null,
      createdAt: at,
      createdBy: actorId(actor),
      updatedAt: at,
      updatedBy: actorId(actor),
      publishedAt: null,
      publishedBy: null,
      archivedAt: null,
    };
    await insertEdition(trx, edition);
    await recordAudit(ctx, trx, actor, 'advisory.draft_create', `advisory-edition:${edition.id}`, {
      country,
      after: auditSummary(edition),
    });
    return edition;
  });
}

/** A PATCH names only the fields it changes; the merged whole is validated again. */
export async function updateDraft(
  ctx: Context,
  actor: Actor,
  id: string,
  patch: Partial<EditionInput>,
): Promise<Edition> {
  return ctx.store.db.transaction().execute(async (trx) => {
    const before = await findEdition(trx, id);
    if (!before) throw notFound(id);
    if (before.status !== 'draft') throw notDraft(before);
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const content = validateEditionContent(
      before.country,
      { ...contentAsInput(before), ...defined },
      ctx.clock.now(),
      loadGeography(),
    );
    if (!(await updateDraftRow(trx, id, content, iso(ctx.clock.now()), actorId(actor))))
      throw notDraft({ id, status: 'published' });
    await recordAudit(ctx, trx, actor, 'advisory.draft_update', `advisory-edition:${id}`, {
      country: before.country,
      before: auditSummary(before),
      after: auditSummary(content),
    });
    return (await findEdition(trx, id))!;
  });
}

export async function deleteDraft(ctx: Context, actor: Actor, id: string): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const before = await findEdition(trx, id);
    if (!before) throw notFound(id);
    if (before.status !== 'draft' || !(await deleteDraftRow(trx, id))) throw notDraft(before);
    await recordAudit(ctx, trx, actor, 'advisory.draft_delete', `advisory-edition:${id}`, {
      country: before.country,
      before: auditSummary(before),
    });
  });
}

/** Bumps the public revision in the writing transaction; callers notify after commit. */
const touchPublic = (trx: Db, at: string) => bumpRevision(trx, ADVISORIES_REVISION, at);

export interface PublishResult {
  readonly edition: Edition;
  readonly archived: Edition | null;
  readonly resolvedTasks: number;
}

/**
 * Publishes a draft: the previous edition is archived, the draft gets the next number and its
 * review date, the country's open advisory_review tasks are resolved, and the public revision
 * moves, all in one transaction. Public caches drop the advisories as soon as it commits.
 */
export async function publishEdition(ctx: Context, actor: Actor, id: string): Promise<PublishResult> {
  const result = await ctx.store.db.transaction().execute(async (trx) => {
    const first = await findEdition(trx, id);
    if (!first) throw notFound(id);
    await lockCountry(trx, ctx.store.backend, first.country);
    const draft = (await findEdition(trx, id))!;
    if (draft.status !== 'draft') throw notDraft(draft);
    const now = ctx.clock.now();
    const at = iso(now);
    // The rules may have been met when the draft was saved but not now (a review date passed).
    const content = validateEditionContent(draft.country, contentAsInput(draft), now, loadGeography());
    const previous = await findCurrentEdition(trx, draft.country);
    if (previous) {
      await archiveEditionRow(trx, previous.id, at);
      await recordAudit(ctx, trx, actor, 'advisory.archive', `advisory-edition:${previous.id}`, {
        country: previous.country,
        before: { status: 'published', number: previous.number },
        after: { status: 'archived', supersededBy: id },
      });
    }
    const number = await nextEditionNumber(trx, draft.country);
    const nextReviewDue = content.nextReviewDue ?? iso(defaultNextReview(content.level, now));
    if (
      !(await publishEditionRow(trx, id, {
        number,
        publishedAt: at,
        publishedBy: actorId(actor),
        nextReviewDue,
      }))
    ) {
      throw notDraft({ id, status: 'published' });
    }
    const resolvedTasks = await resolveOpenTasks(
      ctx,
      trx,
      actor,
      { kind: 'advisory_review', country: draft.country },
      { reason: `Advisory edition ${number} published`, link: { kind: 'advisory_edition', id } },
    );
    await touchPublic(trx, at);
    const edition = (await findEdition(trx, id))!;
    await recordAdvisoryNotice(ctx, trx, edition, previous);
    await recordAudit(ctx, trx, actor, 'advisory.publish', `advisory-edition:${id}`, {
      country: draft.country,
      before: auditSummary(draft),
      after: auditSummary(edition),
      previous: previous ? { id: previous.id, number: previous.number, level: previous.level } : null,
      resolvedTasks,
    });
    return {
      edition,
      archived: previous ? ((await findEdition(trx, previous.id)) ?? null) : null,
      resolvedTasks,
    };
  });
  ctx.changes.notify([ADVISORIES_REVISION]);
  return result;
}

export interface ReviewResult {
  readonly review: Review;
  readonly advisory: CurrentAdvisory;
  readonly resolvedTasks: number;
}

/** Confirms the current edition as it stands: a review row, never a change to the edition. */
export async function reviewAdvisory(
  ctx: Context,
  actor: Actor,
  countryRaw: string,
  input: { note: string; nextReviewDue?: string },
): Promise<ReviewResult> {
  const country = countryCode(countryRaw);
  const note = input.note.trim();
  if (!note) throw new WardenError('validation_failed', 'Say what the review found.', { field: 'note' });
  const now = ctx.clock.now();
  let override: string | undefined;
  if (input.nextReviewDue !== undefined) {
    const t = Date.parse(input.nextReviewDue);
    if (Number.isNaN(t) || t <= now.getTime()) {
      throw new WardenError('validation_failed', 'The next review date must be in the future.', {
        field: 'nextReviewDue',
      });
    }
    override = new Date(t).toISOString();
  }
  const result = await ctx.store.db.transaction().execute(async (trx) => {
    await lockCountry(trx, ctx.store.backend, country);
    const edition = await findCurrentEdition(trx, country);
    if (!edition) {
      throw new WardenError(
        'no_current_edition',
        `${countryName(country)} has no published advisory to review.`,
        { country },
      );
    }
    const before = currentAdvisory(edition, await listReviews(trx, [edition.id]));
    const review: Review = {
      id: newId(),
      country,
      editionId: edition.id,
      note,
      reviewedAt: iso(now),
      reviewedBy: actorId(actor),
      nextReviewDue: override ?? iso(defaultNextReview(edition.level, now)),
    };
    await insertReview(trx, review);
    const resolvedTasks = await resolveOpenTasks(
      ctx,
      trx,
      actor,
      { kind: 'advisory_review', country },
      {
        reason: `Advisory edition ${edition.number} reviewed and confirmed`,
        link: { kind: 'advisory_edition', id: edition.id },
      },
    );
    await touchPublic(trx, review.reviewedAt);
    await recordAudit(ctx, trx, actor, 'advisory.review', `advisory-edition:${edition.id}`, {
      country,
      reviewId: review.id,
      before: { reviewedAt: before.reviewedAt, nextReviewDue: before.nextReviewDue },
      after: { reviewedAt: review.reviewedAt, nextReviewDue: review.nextReviewDue },
      resolvedTasks,
    });
    return { review, advisory: currentAdvisory(edition, [review]), resolvedTasks };
  });
  ctx.changes.notify([ADVISORIES_REVISION]);
  return result;
}
