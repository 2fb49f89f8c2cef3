import type { Context } from '../../context.ts';
import type { Edition } from '../../domain/advisories/edition.ts';
import { iso } from '../../domain/clock.ts';
import { channelOfContact } from '../../domain/deliveries/model.ts';
import { loadGeography } from '../../domain/geo/index.ts';
import { newId } from '../../domain/ids.ts';
import type { Post, PostureChange } from '../../domain/posts/types.ts';
import type { NoticeDetails } from '../../domain/subscriptions/messages.ts';
import type { Db } from '../../store/db.ts';
import {
  claimNotice,
  dailySubscribersOf,
  finishNotice,
  insertNotice,
  listNoticesBetween,
  listPendingNotices,
  type NoticeRow,
  subscribersOf,
  travellersIn,
} from '../../store/subscriptions/notices.ts';
import { recordAudit, systemActor } from '../audit/audit.ts';
import { enqueueDeliveries } from '../deliveries/enqueue.ts';
import { messageDelivery } from './messages.ts';

/*
 * Fan-out of advisory and posture changes. Publishing records one notice in its own transaction;
 * a notice with few recipients is expanded there and then (one delivery per recipient), a
 * larger one by the scheduler's next tick in batches, so publishing stays fast. Every row carries
 * a dedupe key (notice + recipient), so expanding twice queues nothing twice.
 */

const PAGE = 500;
const countryName = (code: string): string => loadGeography().country(code)?.name ?? code;
/** A claim on a notice older than this is taken over (its process died mid-way). */
const CLAIM_MINUTES = 10;

/** A non-minor published edition: called by publishEdition in its transaction. */
export async function recordAdvisoryNotice(
  ctx: Context,
  trx: Db,
  edition: Edition,
  previous: Edition | null | undefined,
): Promise<void> {
  if (edition.minor) return;
  await record(ctx, trx, 'advisory', edition.id, {
    kind: 'advisory',
    country: edition.country,
    countryName: countryName(edition.country),
    edition: edition.number,
    level: edition.level,
    previousLevel: previous?.level ?? null,
    indicators: edition.indicators,
    summary: edition.summary,
    changeNote: edition.changeNote,
    publishedAt: edition.publishedAt ?? iso(ctx.clock.now()),
  });
}

/** A change of a post's posture state: called by applyChange in its transaction. */
export async function recordPostureNotice(
  ctx: Context,
  trx: Db,
  post: Post,
  change: PostureChange,
): Promise<void> {
  if (change.state === (change.previousState ?? 'normal')) return;
  await record(ctx, trx, 'posture', change.id, {
    kind: 'posture',
    country: post.country,
    countryName: countryName(post.country),
    postName: post.name,
    state: change.state,
    previousState: change.previousState,
    statement: change.statement?.text ?? null,
    effectiveAt: change.effectiveAt,
  });
}

async function record(
  ctx: Context,
  trx: Db,
  kind: 'advisory' | 'posture',
  subjectId: string,
  details: NoticeDetails,
): Promise<void> {
  const notice: NoticeRow = {
    id: newId(),
    kind,
    subject_id: subjectId,
    country: details.country,
    details: JSON.stringify(details),
    created_at: iso(ctx.clock.now()),
    expanding_at: null,
    expanded_at: null,
    recipients: null,
  };
  if (!(await insertNotice(trx, notice))) return;
  const limit = ctx.config.subscriptions.inlineRecipients;
  if (limit === 0) return;
  // Small fan-outs happen in the publishing transaction: the messages exist iff the change does.
  const subs = await subscribersOf(trx, notice.country, 'immediate', '', limit + 1);
  const people = await travellersIn(trx, notice.country, notice.created_at.slice(0, 10), '', limit + 1);
  if (subs.length + people.length > limit) return;
  const written = await enqueueDeliveries(ctx, trx, rowsFor(notice, subs, people));
  await finish(ctx, trx, notice, written.length);
}

function rowsFor(
  notice: NoticeRow,
  subs: readonly string[],
  people: ReadonlyArray<{ id: string; person_id: string; kind: string; blind_index: string }>,
) {
  const params = { notice: notice.id };
  const message = `notice:${notice.id}`;
  return [
    ...subs.map((s) =>
      messageDelivery({ subscriptionId: s }, 'advisory_notice', params, `n:${notice.id}:s:${s}`, message),
    ),
    ...people.map((c) =>
      messageDelivery(
        { personId: c.person_id, contactId: c.id, channel: channelOfContact(c.kind) },
        'advisory_notice',
        params,
        // By address, not contact: an address two controllers enrolled hears once.
        `n:${notice.id}:b:${c.blind_index}`,
        message,
      ),
    ),
  ];
}

async function finish(ctx: Context, db: Db, notice: NoticeRow, recipients: number): Promise<void> {
  await finishNotice(db, notice.id, iso(ctx.clock.now()), recipients);
  await recordAudit(ctx, db, systemActor, 'notice.expand', `notice:${notice.id}`, {
    kind: notice.kind,
    country: notice.country,
    recipients,
  });
}

/**
 * Expands every pending notice, a page of recipients per transaction. Safe to run in several
 * processes at once: a notice is claimed first, and the dedupe keys catch any overlap after a
 * stale claim is taken over. Returns how many messages were queued.
 */
export async function expandPendingNotices(ctx: Context, opts: { page?: number } = {}): Promise<number> {
  const page = opts.page ?? PAGE;
  const db = ctx.store.db;
  let queued = 0;
  const stale = () => iso(new Date(ctx.clock.now().getTime() - CLAIM_MINUTES * 60_000));
  for (const notice of await listPendingNotices(db, stale(), 100)) {
    if (!(await claimNotice(db, notice.id, iso(ctx.clock.now()), stale()))) continue;
    let written = 0;
    const today = notice.created_at.slice(0, 10);
    for (let after = ''; ; ) {
      const subs = await subscribersOf(db, notice.country, 'immediate', after, page);
      if (subs.length === 0) break;
      written += (await enqueueDeliveries(ctx, db, rowsFor(notice, subs, []))).length;
      after = subs[subs.length - 1]!;
    }
    for (let after = ''; ; ) {
      const people = await travellersIn(db, notice.country, today, after, page);
      if (people.length === 0) break;
      written += (await enqueueDeliveries(ctx, db, rowsFor(notice, [], people))).length;
      after = people[people.length - 1]!.id;
    }
    await db.transaction().execute((trx) => finish(ctx, trx, notice, written));
    queued += written;
  }
  return queued;
}

/**
 * One digest message per daily subscriber covering the notices of `day` (UTC) in their
 * countries. Idempotent: the dedupe key is the day and the subscription.
 */
export async function queueDailyDigests(
  ctx: Context,
  day: string,
  opts: { page?: number } = {},
): Promise<{ notices: number; messages: number }> {
  const page = opts.page ?? PAGE;
  const db = ctx.store.db;
  const start = `${day}T00:00:00.000Z`;
  const end = iso(new Date(Date.parse(start) + 86_400_000));
  const notices = await listNoticesBetween(db, start, end);
  const countries = [...new Set(notices.map((n) => n.country))];
  let messages = 0;
  for (let after = ''; ; ) {
    const subs = await dailySubscribersOf(db, countries, after, page);
    if (subs.length === 0) break;
    const rows = subs.map((s) => {
      const ids = notices.filter((n) => s.countries.includes(n.country)).map((n) => n.id);
      return messageDelivery(
        { subscriptionId: s.id },
        'advisory_digest',
        { day, notices: ids },
        `d:${day}:${s.id}`,
        `digest:${day}`,
      );
    });
    messages += (await enqueueDeliveries(ctx, db, rows)).length;
    after = subs[subs.length - 1]!.id;
  }
  if (notices.length > 0)
    await recordAudit(ctx, db, systemActor, 'notice.digest', null, {
      day,
      notices: notices.length,
      messages,
    });
  return { notices: notices.length, messages };
}
