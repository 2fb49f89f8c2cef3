import type { Context } from '../context.ts';
import { iso } from '../domain/clock.ts';
import { WardenError } from '../domain/errors.ts';
import type { NearPosts } from '../domain/incidents/near.ts';
import type { Actor, ActorType, Incident, IncidentActor } from '../domain/incidents/types.ts';
import { actorKeyIndex, findActorsByKeys, insertActorsIfAbsent, setActorTypes } from '../store/actors.ts';
import type { Db } from '../store/db.ts';
import {
  analyzeIncidents,
  findByEventIds,
  findIncident,
  insertVersion,
  lockIncidentImport,
  replaceIncident,
  tuneForImport,
} from '../store/incidents.ts';
import { importConstants, insertImportRows } from '../store/incidents-bulk.ts';
import { type Actor as AuditActor, actorId, recordAudit } from './audit.ts';
import { newId } from './auth.ts';
import { PreparerWorker } from './incident-import-pipe.ts';
import {
  type ImportIssue,
  type IncidentValues,
  MAX_LISTED,
  type PreparedBatch,
  type PreparedRow,
  type PrepareOptions,
  RowPreparer,
} from './incident-import-rows.ts';
import { ensurePostLinks, linksFor, nearPosts } from './incidents.ts';

export { contentHash, type ImportIssue, MAX_LISTED } from './incident-import-rows.ts';

export interface ImportReport {
  readonly importId: string;
  readonly dryRun: boolean;
  /** Data records read (the header excluded), broken ones included. */
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows not imported: each has at least one entry in `errors`. */
  failed: number;
  /** Rows matching an incident retracted in Warden: left retracted, listed in warnings. */
  retracted: number;
  actorsCreated: number;
  /** Links to posts written. */
  linked: number;
  errorCount: number;
  warningCount: number;
  /** At most MAX_LISTED of each are listed; the counts are exact. */
  readonly errors: ImportIssue[];
  readonly warnings: ImportIssue[];
  truncated: boolean;
  durationMs: number;
}

export interface ImportOptions {
  readonly dryRun?: boolean;
  /** Refuse (body_too_large) beyond this many bytes. */
  readonly maxBytes?: number;
  readonly batchSize?: number;
  readonly onProgress?: (p: { bytes: number; rows: number }) => void;
  /**
   * Read and check the rows on a worker thread, overlapping with the writes: `auto` (the
   * default) does so once the file passes WORKER_FROM_BYTES, unless config.importWorkers is 0.
   */
  readonly worker?: 'auto' | 'always' | 'never';
}

/**
 * Rows per transaction (each with its audit entry). Larger batches cost less per row (one
 * lookup, insert and commit per table and batch) but hold the store's write lock longer: 5000
 * rows take a few hundred milliseconds.
 */
const DEFAULT_BATCH = 5000;
/** Rows written after which the planner's statistics are refreshed. */
const ANALYZE_AFTER = 10_000;
/** Below this size a file is read on the calling thread: a worker takes about a second to start. */
export const WORKER_FROM_BYTES = 4 << 20;

interface KnownActor {
  id: string;
  type: ActorType;
}

/** Writes prepared batches: one transaction and one audit entry each. */
class BatchWriter {
  readonly report: ImportReport;
  private actorsByKey!: Map<string, KnownActor>;
  /** The import's actors by their index in the prepared rows. */
  private readonly actors: KnownActor[] = [];
  private readonly names: string[] = [];
  private near!: NearPosts;
  private readonly by: string;

  constructor(
    private readonly ctx: Context,
    private readonly actor: AuditActor,
    dryRun: boolean,
  ) {
    this.by = actorId(actor);
    this.report = {
      importId: newId(),
      dryRun,
      rows: 0,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      failed: 0,
      retracted: 0,
      actorsCreated: 0,
      linked: 0,
      errorCount: 0,
      warningCount: 0,
      errors: [],
      warnings: [],
      truncated: false,
      durationMs: 0,
    };
  }

  async prepare(batchSize: number): Promise<PrepareOptions> {
    await ensurePostLinks(this.ctx);
    this.near = await nearPosts(this.ctx);
    this.actorsByKey = await actorKeyIndex(this.ctx.store.db);
    return {
      nowMs: this.ctx.clock.now().getTime(),
      principal: this.actor.principal ?? null,
      posts: this.near.posts,
      radiusKm: this.near.radiusKm,
      batchSize,
      format: this.ctx.store.backend === 'sqlite' ? 'values' : 'json',
    };
  }

  private issue(list: 'errors' | 'warnings', i: ImportIssue): void {
    const r = this.report;
    if (list === 'errors') r.errorCount++;
    else r.warningCount++;
    if (r[list].length >= MAX_LISTED) {
      r.truncated = true;
      return;
    }
    r[list].push(i);
  }

  /** Counts and lists what the reader found, in file order. */
  private takeIssues(b: PreparedBatch): void {
    const r = this.report;
    r.rows = b.rowsRead;
    r.failed += b.failed;
    for (const [list, listed, count] of [
      ['errors', b.errors, b.errorCount],
      ['warnings', b.warnings, b.warningCount],
    ] as const) {
      for (const i of listed) this.issue(list, i);
      // Beyond the reader's own limit: counted, not listed.
      const unlisted = count - listed.length;
      if (unlisted > 0) {
        if (list === 'errors') r.errorCount += unlisted;
        else r.warningCount += unlisted;
        r.truncated = true;
      }
    }
  }

  async write(b: PreparedBatch): Promise<void> {
    this.takeIssues(b);
    for (const [index, key, name] of b.newActors) {
      this.names[index] = name;
      const known = this.actorsByKey.get(key);
      if (known) this.actors[index] = known;
    }
    if (b.rows.length === 0) return;
    const ctx = this.ctx;
    if (this.report.dryRun) await this.writeBatch(ctx.store.db, b);
    else await ctx.store.db.transaction().execute((trx) => this.writeBatch(trx, b));
  }

  /** Actors first met in this batch get their ids, created when new. */
  private async resolveActors(db: Db, b: PreparedBatch, now: string): Promise<void> {
    const typeOf = new Map(b.actorTypes);
    const fresh: { actor: Actor; nameKey: string; index: number }[] = [];
    for (const [index, key, name] of b.newActors) {
      if (this.actors[index]) continue;
      fresh.push({
        index,
        nameKey: key,
        actor: {
          id: newId(),
          name,
          type: typeOf.get(index) ?? 'unknown',
          notes: null,
          createdAt: now,
          createdBy: this.by,
          updatedAt: now,
        },
      });
    }
    this.report.actorsCreated += fresh.length;
    for (const f of fresh) {
      const known = { id: f.actor.id, type: f.actor.type };
      this.actors[f.index] = known;
      this.actorsByKey.set(f.nameKey, known);
    }
    if (this.report.dryRun || fresh.length === 0) return;
    await insertActorsIfAbsent(db, fresh);
    // Another import may have created some of them first: use the stored ids.
    const stored = await findActorsByKeys(
      db,
      fresh.map((f) => f.nameKey),
    );
    for (const f of fresh) {
      const s = stored.get(f.nameKey);
      if (!s) continue;
      const known = this.actors[f.index]!;
      known.id = s.id;
      known.type = s.type;
    }
  }

  /** An actor first met as an associate (no type) takes the type an inter code later gives it. */
  private noteTypes(b: PreparedBatch): Map<ActorType, string[]> {
    const byType = new Map<ActorType, string[]>();
    for (const [index, type] of b.actorTypes) {
      const known = this.actors[index];
      if (known?.type !== 'unknown') continue;
      known.type = type;
      const list = byType.get(type) ?? [];
      list.push(known.id);
      byType.set(type, list);
    }
    return byType;
  }

  private async writeBatch(db: Db, b: PreparedBatch): Promise<void> {
    const ctx = this.ctx;
    const dryRun = this.report.dryRun;
    const now = iso(ctx.clock.now());
    if (!dryRun) await lockIncidentImport(db, ctx.store.backend);
    const existing = await findByEventIds(
      db,
      b.rows.map((r) => r.eventId),
    );
    await this.resolveActors(db, b, now);
    const upgrades = this.noteTypes(b);
    if (!dryRun) for (const [type, ids] of upgrades) await setActorTypes(db, ids, type, now);

    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    const values: IncidentValues[] = [];
    const json: string[] = [];
    const actorRows: unknown[][] = [];
    const linkRows: unknown[][] = [];
    const changed: PreparedRow[] = [];
    for (const r of b.rows) {
      const old = existing.get(r.eventId);
      if (old?.retractedAt) {
        this.report.retracted++;
        this.issue('warnings', {
          row: r.row,
          line: r.line,
          field: 'event_id_cnty',
          reason: 'the incident was retracted in Warden; left retracted',
          eventId: r.eventId,
        });
        continue;
      }
      if (old && old.contentHash === r.hash) {
        counts.unchanged++;
        continue;
      }
      if (old) {
        counts.updated++;
        changed.push(r);
        continue;
      }
      counts.inserted++;
      this.report.linked += r.links.length;
      if (dryRun) continue;
      if (r.values) values.push(r.values);
      else json.push(r.json!);
      const v = r.values ?? null;
      // The new incident's id, time and type: the row's first, third and twelfth values.
      const id = v ? v[0] : r.json!.slice(2, 38);
      for (let p = 0; p < r.actors.length; p++) {
        const [index, role, confidence] = r.actors[p]!;
        actorRows.push([id, this.actors[index]!.id, role, confidence, p]);
      }
      if (r.links.length) {
        const [, , occurredAt, , , , , , , , , type] = v ?? rowValues(r);
        for (const [postId, km] of r.links) linkRows.push([postId, id, km, occurredAt, type]);
      }
    }
    const backend = ctx.store.backend;
    if (values.length || json.length) {
      await insertImportRows(
        db,
        backend,
        'incidents',
        json.length ? { json: `[${json.join(',')}]` } : { values },
        importConstants(now, this.by),
      );
      await insertImportRows(db, backend, 'incident_actors', { values: actorRows });
      await insertImportRows(db, backend, 'incident_posts', { values: linkRows });
    }
    for (const r of changed) await this.update(db, r, existing.get(r.eventId)!.id, now);
    this.report.inserted += counts.inserted;
    this.report.updated += counts.updated;
    this.report.unchanged += counts.unchanged;
    if (!dryRun && counts.inserted + counts.updated > 0) {
      const first = b.rows[0]!;
      const last = b.rows[b.rows.length - 1]!;
      await recordAudit(ctx, db, this.actor, 'incident.import', `import:${this.report.importId}`, {
        rows: [first.row, last.row],
        ...counts,
        eventIds: [first.eventId, last.eventId],
      });
    }
  }

  /** A changed row of a stored incident: its previous state versioned, Warden-only fields kept. */
  private async update(db: Db, r: PreparedRow, id: string, now: string): Promise<void> {
    const before = await findIncident(db, id);
    if (!before) return;
    const incident = this.toIncident(r, before, now);
    const links = linksFor(this.near, incident);
    this.report.linked += links.length;
    if (this.report.dryRun) return;
    await insertVersion(db, {
      incidentId: before.id,
      version: before.version,
      state: before,
      replacedAt: now,
      replacedBy: this.by,
    });
    await replaceIncident(db, incident, r.hash, links);
  }

  private toIncident(r: PreparedRow, old: Incident, now: string): Incident {
    const [
      ,
      eventId,
      occurredAt,
      timePrecision,
      lat,
      lon,
      ,
      geoPrecision,
      place,
      country,
      region,
      type,
      subType,
      fatalities,
      sources,
      notes,
      source,
    ] = rowValues(r);
    const actors: IncidentActor[] = r.actors.map(([index, role, confidence]) => {
      const known = this.actors[index]!;
      return { actorId: known.id, name: this.names[index]!, type: known.type, role, confidence };
    });
    return {
      id: old.id,
      eventId,
      occurredAt,
      timePrecision,
      location: { lat, lon, precision: geoPrecision, place },
      country,
      region,
      type,
      subType,
      // Warden-only fields survive a re-import: ACLED has no target post and no injuries.
      target: old.target,
      actors,
      fatalities,
      injuries: old.injuries,
      sources: JSON.parse(sources) as string[],
      notes,
      source: JSON.parse(source) as Record<string, string>,
      version: old.version + 1,
      createdAt: old.createdAt,
      createdBy: old.createdBy,
      updatedAt: now,
      updatedBy: this.by,
      retraction: null,
    };
  }
}

const rowValues = (r: PreparedRow): IncidentValues => r.values ?? (JSON.parse(r.json!) as IncidentValues);

function tooLarge(limit: number): WardenError {
  return new WardenError('body_too_large', `The file is larger than ${limit} bytes.`, { limit });
}

const sizeOf = (chunk: Buffer | string) =>
  typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;

/**
 * Imports an ACLED CSV, streamed: rows are read, checked and written in batches (one
 * transaction and one audit entry each). Idempotent by event id: an unchanged row writes
 * nothing, a changed one updates the incident (its previous state versioned), a row never
 * duplicates. Every row that is not imported is in `errors` with its row, line, field and reason;
 * wrong or missing required columns refuse the whole file up front (invalid_csv).
 *
 * A large file is read and checked on a worker thread while the previous batch is written here;
 * the results are the same either way.
 */
export async function importIncidentsCsv(
  ctx: Context,
  actor: AuditActor,
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const started = performance.now();
  const writer = new BatchWriter(ctx, actor, opts.dryRun ?? false);
  const options = await writer.prepare(opts.batchSize ?? DEFAULT_BATCH);
  const restore = await tuneForImport(ctx.store.db, ctx.store.backend);
  const mode = ctx.config.importWorkers === 0 && opts.worker !== 'always' ? 'never' : (opts.worker ?? 'auto');
  let bytes = 0;
  const progress = (rows: number) => opts.onProgress?.({ bytes, rows });
  const write = (b: PreparedBatch) => writer.write(b);

  // The first chunks are held until the file proves large enough for a worker, or ends.
  const held: (Buffer | string)[] = [];
  let heldBytes = 0;
  let pipe: PreparerWorker | null = null;
  let inline: RowPreparer | null = mode === 'never' ? new RowPreparer(options) : null;
  const feed = async (chunk: Buffer | string) => {
    if (pipe) return pipe.push(chunk);
    for (const b of inline!.push(chunk)) await write(b);
    progress(inline!.rowsSoFar);
  };
  try {
    for await (const chunk of input) {
      bytes += sizeOf(chunk);
      if (opts.maxBytes !== undefined && bytes > opts.maxBytes) throw tooLarge(opts.maxBytes);
      if (pipe || inline) {
        await feed(chunk);
        continue;
      }
      held.push(chunk);
      heldBytes += sizeOf(chunk);
      if (mode === 'auto' && heldBytes < WORKER_FROM_BYTES) continue;
      pipe = PreparerWorker.start(options, write, progress);
      if (!pipe) inline = new RowPreparer(options);
      for (const c of held.splice(0)) await feed(c);
    }
    if (!pipe && !inline) {
      inline = new RowPreparer(options);
      for (const c of held.splice(0)) await feed(c);
    }
    if (pipe) await pipe.end();
    else for (const b of inline!.end()) await write(b);
  } finally {
    await pipe?.close();
    await restore();
  }

  const report = writer.report;
  if (!report.dryRun && report.inserted + report.updated >= ANALYZE_AFTER) {
    await analyzeIncidents(ctx.store.db, ctx.store.backend);
  }
  progress(report.rows);
  report.durationMs = Math.round(performance.now() - started);
  return report;
}
