import type { Context } from '../../context.ts';
import { validateAlertContent } from '../../domain/alerts/content.ts';
import {
  alertFromIncident,
  alertFromRestriction,
  blankAlertContent,
  cancelDraft,
  updateDraft,
} from '../../domain/alerts/drafts.ts';
import { newAlert } from '../../domain/alerts/lifecycle.ts';
import type { AlertRecord } from '../../domain/alerts/record.ts';
import type { AlertArea, AlertContent, AlertKind } from '../../domain/alerts/types.ts';
import { inScope } from '../../domain/auth/policy.ts';
import { WardenError } from '../../domain/errors.ts';
import { loadGeography } from '../../domain/geo/index.ts';
import { newId } from '../../domain/ids.ts';
import type { Post } from '../../domain/posts/types.ts';
import { findAlert, insertAlert, listAlerts } from '../../store/alerts/alerts.ts';
import type { Db } from '../../store/db.ts';
import { findRestriction } from '../../store/posts/restrictions.ts';
import { type Actor, actorId, recordAudit } from '../audit/audit.ts';
import { incidentAlertSeed } from '../incidents/incidents.ts';
import { areaAnchor, assistanceBlock, issuingPost, servingPostFor } from './issuer.ts';

/*
 * Composing: the start points (blank, from an incident, from a staff movement restriction), a new
 * draft, and the Update and Cancel drafts of a sent alert. Every stored draft is valid content
 * (validateAlertContent), so what reaches the approval queue can be sent as it stands.
 */

export type StartPoint =
  | { readonly from: 'blank'; readonly kind: AlertKind; readonly postId: string }
  | { readonly from: 'incident'; readonly id: string; readonly kind?: AlertKind; readonly postId?: string }
  | { readonly from: 'restriction'; readonly id: string; readonly kind?: AlertKind };

export interface Started {
  readonly content: AlertContent;
  /** `incident:<id>` / `restriction:<id>`: pass it back when creating the draft. */
  readonly source: string | null;
}

/** Staff act on their posts and countries; in-process callers (CLI, demo) have no principal. */
export function requireWriter(actor: Actor, post: { id: string; country: string }): void {
  const p = actor.principal;
  if (!p) return;
  if (!inScope(p, { country: post.country, postIds: [post.id] })) {
    throw new WardenError('forbidden', 'This post is outside your scope.', { postId: post.id });
  }
}

/** Fills the Assistance section from the issuing post when the composer left it empty. */
function withIssuer(content: AlertContent, post: Post): AlertContent {
  const texts = { ...content.texts } as Record<string, AlertContent['texts']['en']>;
  for (const [lang, t] of Object.entries(texts)) {
    if (!t.sections.assistance)
      texts[lang] = { ...t, sections: { ...t.sections, assistance: assistanceBlock(post) } };
  }
  return { ...content, postId: post.id, texts: texts as AlertContent['texts'] };
}

/** Prefilled content for the composer; nothing is stored. */
export async function startAlert(ctx: Context, actor: Actor, s: StartPoint): Promise<Started> {
  const now = ctx.clock.now();
  const db = ctx.store.db;
  switch (s.from) {
    case 'blank': {
      const post = await issuingPost(ctx, db, s.postId);
      requireWriter(actor, post);
      return {
        content: withIssuer(blankAlertContent({ kind: s.kind, postId: post.id, now }), post),
        source: null,
      };
    }
    case 'incident': {
      const seed = await incidentAlertSeed(ctx, s.id);
      const kind = s.kind ?? 'security';
      const area: AlertArea = { countries: [], regions: [], polygons: [], circles: [seed.area.circle] };
      const postId = s.postId ?? (await servingPostFor(ctx, area));
      if (!postId) {
        throw new WardenError('validation_failed', 'No post serves this place: choose the issuing post.', {
          path: '/postId',
        });
      }
      const post = await issuingPost(ctx, db, postId);
      requireWriter(actor, post);
      const content = alertFromIncident(seed, { kind, postId: post.id, now });
      return { content: withIssuer(content, post), source: `incident:${s.id}` };
    }
    case 'restriction': {
      const r = await findRestriction(db, s.id);
      if (!r) throw new WardenError('not_found', 'Restriction not found.', { id: s.id });
      const post = await issuingPost(ctx, db, r.postId);
      requireWriter(actor, post);
      const content = alertFromRestriction(r, { kind: s.kind ?? 'security', now });
      return { content: withIssuer(content, post), source: `restriction:${r.id}` };
    }
    default: {
      const never: never = s;
      throw new TypeError(`unknown start point ${JSON.stringify(never)}`);
    }
  }
}

/** ISO alpha-2 countries the area touches: named ones, regions' countries, shapes' vertices. */
export function countriesTouched(area: AlertArea): string[] {
  const geo = loadGeography();
  const out = new Set(area.countries);
  for (const r of area.regions) out.add(geo.region(r)?.country ?? r.slice(0, 2));
  const add = (lat: number, lon: number) => {
    const c = geo.countryAt(lat, ((((lon + 180) % 360) + 360) % 360) - 180);
    if (c) out.add(c.code);
  };
  for (const g of area.polygons) {
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    for (const rings of polys) for (const p of rings[0] ?? []) add(p[1]!, p[0]!);
  }
  for (const c of area.circles) {
    add(c.lat, c.lon);
    const d = c.radiusKm / 111;
    const dl = d / Math.max(0.1, Math.cos((c.lat * Math.PI) / 180));
    for (const [a, b] of [
      [d, 0],
      [-d, 0],
      [0, dl],
      [0, -dl],
    ] as const)
      add(Math.max(-90, Math.min(90, c.lat + a)), c.lon + b);
  }
  const anchor = areaAnchor(area);
  if (anchor) add(anchor.lat, anchor.lon);
  return [...out].sort();
}

/** Checks a start point named as a draft's source exists (a made-up id is refused). */
async function checkSource(ctx: Context, db: Db, source: string | null): Promise<void> {
  if (source === null) return;
  const [kind, id] = source.split(':', 2);
  const exists =
    kind === 'restriction'
      ? (await findRestriction(db, id ?? '')) !== undefined
      : kind === 'incident'
        ? await incidentAlertSeed(ctx, id ?? '').then(
            () => true,
            () => false,
          )
        : false;
  if (!exists)
    throw new WardenError('invalid_link', `No ${kind ?? 'source'} ${id ?? ''}.`, { path: '/source' });
}

/** Validates content for a stored draft; the issuing post is resolved to the one serving citizens. */
export async function checkedContent(
  ctx: Context,
  actor: Actor,
  db: Db,
  content: AlertContent,
): Promise<{ content: AlertContent; post: Post }> {
  const valid = validateAlertContent(content, { now: ctx.clock.now(), geo: loadGeography() });
  const post = await issuingPost(ctx, db, valid.postId);
  requireWriter(actor, post);
  return { content: { ...valid, postId: post.id }, post };
}

async function storeDraft(
  ctx: Context,
  actor: Actor,
  db: Db,
  content: AlertContent,
  post: Post,
  extra: { source: string | null; rootId: string | null },
): Promise<AlertRecord> {
  const id = newId();
  const alert: AlertRecord = {
    ...newAlert(id, content, actorId(actor), ctx.clock.now()),
    source: extra.source,
    rootId: extra.rootId ?? id,
    country: post.country,
    countries: countriesTouched(content.area),
    recipientCount: null,
  };
  await insertAlert(db, alert);
  await recordAudit(ctx, db, actor, 'alert.create', `alert:${id}`, {
    postId: post.id,
    msgType: content.msgType,
    status: content.status,
    source: extra.source,
    contentHash: alert.contentHash,
  });
  return alert;
}

/** A new Alert draft (Updates and Cancels start from the alert they follow). */
export async function createAlert(
  ctx: Context,
  actor: Actor,
  input: { content: AlertContent; source?: string | null },
): Promise<AlertRecord> {
  if (input.content.msgType !== 'Alert') {
    throw new WardenError('invalid_reference', 'Updates and cancels start from the sent alert they follow.', {
      path: '/content/msgType',
    });
  }
  // Checks read outside the write transaction (the coverage index reads the store's pool, which
  // SQLite's single connection would not give it while a transaction holds it).
  const { content, post } = await checkedContent(ctx, actor, ctx.store.db, input.content);
  await checkSource(ctx, ctx.store.db, input.source ?? null);
  return ctx.store.db
    .transaction()
    .execute((trx) =>
      storeDraft(ctx, actor, trx, content, post, { source: input.source ?? null, rootId: null }),
    );
}

export async function requireAlert(db: Db, id: string): Promise<AlertRecord> {
  const a = await findAlert(db, id);
  if (!a) throw new WardenError('alert_not_found', 'Alert not found.', { id });
  return a;
}

/**
 * An Update or Cancel draft of a sent alert, in the original's chain. A Cancel is refused while
 * another Cancel of the chain is on its way (approved or sending): a double click sends one.
 */
export async function followUpDraft(
  ctx: Context,
  actor: Actor,
  originalId: string,
  msgType: 'Update' | 'Cancel',
): Promise<AlertRecord> {
  const db = ctx.store.db;
  let original = await requireAlert(db, originalId);
  // Cancelling an alert that was updated cancels the newest message of its chain.
  for (
    let hops = 0;
    msgType === 'Cancel' && original.state === 'updated' && original.supersededBy && hops < 100;
    hops++
  ) {
    original = await requireAlert(db, original.supersededBy);
  }
  requireWriter(actor, { id: original.content.postId, country: original.country });
  const now = ctx.clock.now();
  const drafted = msgType === 'Update' ? updateDraft(original, now) : cancelDraft(original, now);
  if (msgType === 'Cancel') {
    const chain = await listAlerts(db, { rootId: original.rootId, states: ['approved', 'sending'] });
    if (chain.some((a) => a.content.msgType === 'Cancel')) {
      throw new WardenError('already_cancelled', 'A cancel of this alert is already being sent.', {
        id: original.id,
      });
    }
  }
  const { content, post } = await checkedContent(ctx, actor, db, drafted);
  return db.transaction().execute(async (trx) => {
    const now = await requireAlert(trx, original.id);
    if (now.state !== original.state) {
      throw new WardenError('conflict', 'The alert changed meanwhile; reload it.', { id: original.id });
    }
    return storeDraft(ctx, actor, trx, content, post, { source: null, rootId: original.rootId });
  });
}
