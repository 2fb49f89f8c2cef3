import type { Context } from '../../context.ts';
import { iso } from '../../domain/clock.ts';
import { WardenError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import type { NearPosts } from '../../domain/incidents/near.ts';
import {
  ACTOR_ROLES,
  type Actor,
  type ActorType,
  CONFIDENCES,
  type Incident,
  type IncidentActor,
} from '../../domain/incidents/types.ts';
import { type Actor as AuditActor, actorId, recordAudit } from '../../services/audit/audit.ts';
import { ensurePostLinks, linksFor, nearPosts } from '../../services/incidents/incidents.ts';
import type { Backend, Db } from '../../store/db.ts';
import {
  actorKeyIndex,
  findActorsByKeys,
  insertActorsIfAbsent,
  setActorTypes,
} from '../../store/incidents/actors.ts';
import {
  type ImportParents,
  importConstants,
  importTransaction,
  insertImportRows,
} from '../../store/incidents/bulk.ts';
import {
  analyzeIncidents,
  findByEventIds,
  findIncident,
  insertVersion,
  lockIncidentImport,
  replaceIncident,
  tuneForImport,
} from '../../store/incidents/incidents.ts';
import { PreparerWorker } from './pipe.ts';
import {
  type ImportIssue,
  type IncidentValues,
  MAX_LISTED,
  type PreparedBatch,
  type PrepareOptions,
  ROW_WIDTH,
  RowPreparer,
} from './rows.ts';

export { contentHash, type ImportIssue, MAX_LISTED } from './rows.ts';

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
 * Rows per transaction (each with its audit entry). SQLite: larger transactions cost less per
 * row, since every commit writes each page it changed to the WAL and the indexes' insertion
 * points (one per map cell, region, actor...) are hot pages changed by nearly every batch; 20,000
 * rows write them a quarter as often as 5,000 (at 1M rows: 38 instead of 48 µs a row on the
 * writing thread), for a write lock held about a second per batch. PostgreSQL gained nothing
 * measurable beyond 5,000, and its batches travel as JSON text kept until written (peak RSS
 * 1.0 GB against 1.5 at 20,000).
 */
const DEFAULT_BATCH: Readonly<Record<Backend, number>> = { sqlite: 20_000, postgres: 5000 };
/**
 * Rows per batch of the reader: small, so that little of what the reader builds is still alive
 * when the garbage collector runs (a 5000-row batch was copied and promoted, costing both threads).
 */
const PART_ROWS = 1000;
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

  /**
   * Writes batches of the reader in one transaction with one audit entry (the reader hands over
   * small batches, cheap to send and keep; the store prefers fewer, larger transactions).
   */
  async write(group: readonly PreparedBatch[]): Promise<void> {
    for (const b of group) {
      this.takeIssues(b);
      for (const [index, key, name] of b.newActors) {
        this.names[index] = name;
        const known = this.actorsByKey.get(key);
        if (known) this.actors[index] = known;
      }
    }
    const parts = group.filter((b) => b.count > 0);
    if (parts.length === 0) return;
    const ctx = this.ctx;
    if (this.report.dryRun) await this.writeBatches(ctx.store.db, parts);
    else {
      await importTransaction(ctx.store.db, ctx.store.backend, ctx.store.sqlite, (trx) =>
        this.writeBatches(trx, parts),
      );
    }
  }

  /** Actors first met in these batches get their ids, created when new. */
  private async resolveActors(db: Db, parts: readonly PreparedBatch[], now: string): Promise<void> {
    const typeOf = new Map(parts.flatMap((b) => b.actorTypes));
    const fresh: { actor: Actor; nameKey: string; index: number }[] = [];
    for (const [index, key, name] of parts.flatMap((b) => b.newActors)) {
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
  private noteTypes(parts: readonly PreparedBatch[]): Map<ActorType, string[]> {
    const byType = new Map<ActorType, string[]>();
    for (const [index, type] of parts.flatMap((b) => b.actorTypes)) {
      const known = this.actors[index];
      if (known?.type !== 'unknown') continue;
      known.type = type;
      const list = byType.get(type) ?? [];
      list.push(known.id);
      byType.set(type, list);
    }
    return byType;
  }

  /** Writes the batches; returns the actors and posts their rows refer to. */
  private async writeBatches(db: Db, parts: readonly PreparedBatch[]): Promise<ImportParents> {
    const parents = { actorIds: new Set<string>(), postIds: new Set<string>() };
    const ctx = this.ctx;
    const dryRun = this.report.dryRun;
    const now = iso(ctx.clock.now());
    if (!dryRun) await lockIncidentImport(db, ctx.store.backend);
    const existing = await findByEventIds(
      db,
      parts.flatMap((b) => b.eventIds),
    );
    await this.resolveActors(db, parts, now);
    const upgrades = this.noteTypes(parts);
    if (!dryRun) for (const [type, ids] of upgrades) await setActorTypes(db, ids, type, now);

    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    /** New incidents' values: whole batches when every row is new (nothing copied). */
    const values: unknown[][] = [];
    const json: string[] = [];
    const actorRows: unknown[] = [];
    const linkRows: unknown[] = [];
    const changed: Array<{ b: PreparedBatch; i: number; id: string }> = [];
    const W = ROW_WIDTH;
    for (const b of parts) {
      const fresh: number[] = [];
      for (let i = 0; i < b.count; i++) {
        const eventId = b.eventIds[i]!;
        const old = existing.get(eventId);
        if (old?.retractedAt) {
          this.report.retracted++;
          this.issue('warnings', {
            row: b.rowNumbers[i]!,
            line: b.lines[i]!,
            field: 'event_id_cnty',
            reason: 'the incident was retracted in Warden; left retracted',
            eventId,
          });
        } else if (old && old.contentHash === b.hashes[i]) counts.unchanged++;
        else if (old) {
          counts.updated++;
          changed.push({ b, i, id: old.id });
        } else fresh.push(i);
      }
      counts.inserted += fresh.length;
      let l = 0;
      for (const i of fresh) {
        while (l < b.linkRows.length && b.linkRows[l]! < i) l++;
        const links = l;
        while (l < b.linkRows.length && b.linkRows[l] === i) l++;
        this.report.linked += l - links;
        if (dryRun) continue;
        const id = b.json.length ? b.json[i]!.slice(2, 38) : (b.values[i * W] as string);
        for (let k = b.actorStart[i]!, p = 0; k < b.actorStart[i + 1]!; k++, p++) {
          const d = b.actorData;
          const actor = this.actors[d[3 * k]!]!;
          parents.actorIds.add(actor.id);
          actorRows.push(id, actor.id, ACTOR_ROLES[d[3 * k + 1]!], CONFIDENCES[d[3 * k + 2]!], p);
        }
        if (l > links) {
          const [, , occurredAt, , , , , , , , , type] = rowValues(b, i);
          for (let k = links; k < l; k++) {
            const postId = this.near.posts[b.linkPosts[k]!]!.id;
            parents.postIds.add(postId);
            linkRows.push(postId, id, b.linkKm[k], occurredAt, type);
          }
        }
      }
      if (dryRun || fresh.length === 0) continue;
      if (b.json.length) for (const i of fresh) json.push(b.json[i]!);
      else if (fresh.length === b.count) values.push(b.values);
      else values.push(fresh.flatMap((i) => b.values.slice(i * W, (i + 1) * W)));
    }
    const backend = ctx.store.backend;
    const sqlite = ctx.store.sqlite;
    const constants = importConstants(now, this.by);
    if (json.length)
      await insertImportRows(db, backend, 'incidents', { json: `[${json.join(',')}]` }, constants);
    for (const flat of values) await insertImportRows(db, backend, 'incidents', { flat }, constants, sqlite);
    await insertImportRows(db, backend, 'incident_actors', { flat: actorRows }, [], sqlite);
    await insertImportRows(db, backend, 'incident_posts', { flat: linkRows }, [], sqlite);
    for (const c of changed) await this.update(db, c.b, c.i, c.id, now, parents);
    this.report.inserted += counts.inserted;
    this.report.updated += counts.updated;
    this.report.unchanged += counts.unchanged;
    if (!dryRun && counts.inserted + counts.updated > 0) {
      const first = parts[0]!;
      const last = parts[parts.length - 1]!;
      await recordAudit(ctx, db, this.actor, 'incident.import', `import:${this.report.importId}`, {
        rows: [first.rowNumbers[0], last.rowNumbers[last.count - 1]],
        ...counts,
        eventIds: [first.eventIds[0], last.eventIds[last.count - 1]],
      });
    }
    return parents;
  }

  /** A changed row of a stored incident: its previous state versioned, Warden-only fields kept. */
  private async update(
    db: Db,
    b: PreparedBatch,
    i: number,
    id: string,
    now: string,
    parents: { actorIds: Set<string>; postIds: Set<string> },
  ): Promise<void> {
    const before = await findIncident(db, id);
    if (!before) return;
    const incident = this.toIncident(b, i, before, now);
    const links = linksFor(this.near, incident);
    for (const a of incident.actors) parents.actorIds.add(a.actorId);
    for (const l of links) parents.postIds.add(l.postId);
    if (incident.target.postId) parents.postIds.add(incident.target.postId);
    this.report.linked += links.length;
    if (this.report.dryRun) return;
    await insertVersion(db, {
      incidentId: before.id,
      version: before.version,
      state: before,
      replacedAt: now,
      replacedBy: this.by,
    });
    await replaceIncident(db, incident, b.hashes[i]!, links);
  }

  private toIncident(b: PreparedBatch, i: number, old: Incident, now: string): Incident {
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
    ] = rowValues(b, i);
    const actors: IncidentActor[] = [];
    for (let k = b.actorStart[i]!; k < b.actorStart[i + 1]!; k++) {
      const index = b.actorData[3 * k]!;
      const known = this.actors[index]!;
      actors.push({
        actorId: known.id,
        name: this.names[index]!,
        type: known.type,
        role: ACTOR_ROLES[b.actorData[3 * k + 1]!]!,
        confidence: CONFIDENCES[b.actorData[3 * k + 2]!]!,
      });
    }
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

/** Row i's values, whichever form they travelled in. */
const rowValues = (b: PreparedBatch, i: number): IncidentValues =>
  b.json.length
    ? (JSON.parse(b.json[i]!) as IncidentValues)
    : (b.values.slice(i * ROW_WIDTH, (i + 1) * ROW_WIDTH) as unknown as IncidentValues);

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
  const txRows = opts.batchSize ?? DEFAULT_BATCH[ctx.store.backend];
  const options = await writer.prepare(Math.min(txRows, PART_ROWS));
  const restore = await tuneForImport(ctx.store.db, ctx.store.backend);
  const mode = ctx.config.importWorkers === 0 && opts.worker !== 'always' ? 'never' : (opts.worker ?? 'auto');
  let bytes = 0;
  const progress = (rows: number) => opts.onProgress?.({ bytes, rows });
  // The reader's batches are grouped into transactions of txRows rows.
  let group: PreparedBatch[] = [];
  let groupRows = 0;
  const flush = async () => {
    const g = group;
    group = [];
    groupRows = 0;
    if (g.length) await writer.write(g);
  };
  const write = async (b: PreparedBatch) => {
    group.push(b);
    groupRows += b.count;
    if (groupRows >= txRows) await flush();
  };

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
      pipe = PreparerWorker.start(options, write, progress, 2 * txRows);
      if (!pipe) inline = new RowPreparer(options);
      for (const c of held.splice(0)) await feed(c);
    }
    if (!pipe && !inline) {
      inline = new RowPreparer(options);
      for (const c of held.splice(0)) await feed(c);
    }
    if (pipe) await pipe.end();
    else for (const b of inline!.end()) await write(b);
    await flush();
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
