import type { Context } from '../context.ts';
import { inScope } from '../domain/auth/policy.ts';
import { iso } from '../domain/clock.ts';
import { WardenError } from '../domain/errors.ts';
import { loadGeography } from '../domain/geo/index.ts';
import {
  ACLED_COLUMNS,
  type AcledContext,
  type AcledHeader,
  acledContext,
  type MappedIncident,
  mapAcledRow,
  REQUIRED_COLUMNS,
  readHeader,
} from '../domain/incidents/acled.ts';
import { type CsvItem, CsvReader } from '../domain/incidents/csv-reader.ts';
import { orderedId } from '../domain/incidents/ids.ts';
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
} from '../store/incidents.ts';
import { insertIncidentActorRows, insertIncidentRows, insertPostLinkRows } from '../store/incidents-bulk.ts';
import type { IncidentActorTable, IncidentPostTable, IncidentTable } from '../store/tables/incidents.ts';
import { type Actor as AuditActor, actorId, recordAudit } from './audit.ts';
import { newId } from './auth.ts';
import { ensurePostLinks, linksFor, nearPosts } from './incidents.ts';

/** Where in the file: `row` counts records as a spreadsheet does (the header is row 1), `line` physical lines. */
export interface ImportIssue {
  readonly row: number;
  readonly line: number;
  readonly field: string | null;
  readonly reason: string;
  readonly eventId?: string;
}

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
}

export const MAX_LISTED = 10_000;
const DEFAULT_BATCH = 2000;
/** Rows written after which the planner's statistics are refreshed. */
const ANALYZE_AFTER = 10_000;

interface Pending {
  readonly row: number;
  readonly line: number;
  readonly incident: MappedIncident;
  readonly hash: string;
}

/**
 * What a re-import compares: a 53-bit hash (cyrb53) of the row's raw values, seeded by the file's
 * column names (a file with other columns updates each incident once, harmlessly). It detects
 * changes, it does not authenticate anything: a changed row slipping through needs the same
 * event's old and new content to collide (about 1 in 9e15). A SHA-1 per row cost 6-10 µs here;
 * this costs about 1.
 */
export function contentHash(seed: number, fields: readonly string[]): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let f = 0; f < fields.length; f++) {
    const s = fields[f]!;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ 0x1f, 2654435761);
    h2 = Math.imul(h2 ^ 0x1f, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * A copy of a string that does not share memory with the text it was cut from. V8 represents a
 * slice of 13+ characters as a view into its parent, so keeping one actor name or event id for
 * the whole import would keep its 1 MB chunk of the file alive with it.
 */
const detach = (s: string): string => (s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8'));

const seedOf = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
};

class Importer {
  readonly report: ImportReport;
  private header: AcledHeader | null = null;
  private seed = 0;
  private row = 0;
  private readonly seen = new Map<string, number>();
  private batch: Pending[] = [];
  private readonly acled: AcledContext;
  private actors!: Map<string, { id: string; type: ActorType }>;
  private near!: NearPosts;
  private readonly by: string;

  constructor(
    private readonly ctx: Context,
    private readonly actor: AuditActor,
    private readonly opts: ImportOptions,
  ) {
    this.acled = acledContext(loadGeography(), ctx.clock.now());
    this.by = actorId(actor);
    this.report = {
      importId: newId(),
      dryRun: opts.dryRun ?? false,
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

  async prepare(): Promise<void> {
    await ensurePostLinks(this.ctx);
    this.near = await nearPosts(this.ctx);
    this.actors = await actorKeyIndex(this.ctx.store.db);
  }

  private issue(list: 'errors' | 'warnings', i: ImportIssue): void {
    const r = this.report;
    if (list === 'errors') r.errorCount++;
    else r.warningCount++;
    if (r[list].length >= MAX_LISTED) {
      r.truncated = true;
      return;
    }
    // Kept to the end: copied, so that it does not pin the file's text in memory.
    const kept: ImportIssue = { ...i, reason: detach(i.reason) };
    if (i.eventId !== undefined) (kept as { eventId?: string }).eventId = detach(i.eventId);
    r[list].push(kept);
  }

  get hasHeader(): boolean {
    return this.header !== null;
  }

  /** Takes the reader's items, writing each batch as it fills (one at a time). */
  async take(items: readonly CsvItem[]): Promise<void> {
    for (const item of items) {
      this.row++;
      if (!this.header) {
        this.readHeader(item);
        continue;
      }
      this.report.rows++;
      const at = { row: this.row, line: item.line };
      if (item.kind === 'broken') {
        this.report.failed++;
        this.issue('errors', { ...at, field: null, reason: item.reason });
        continue;
      }
      const h = this.header;
      if (item.fields.length !== h.names.length) {
        this.report.failed++;
        this.issue('errors', {
          ...at,
          field: null,
          reason: `the row has ${item.fields.length} fields, the header ${h.names.length}`,
        });
        continue;
      }
      this.take1(item.fields, at, item.strayQuote);
      if (this.batch.length >= (this.opts.batchSize ?? DEFAULT_BATCH)) await this.flush();
    }
  }

  private readHeader(item: CsvItem): void {
    if (item.kind === 'broken') {
      throw new WardenError('invalid_csv', `The header cannot be read: ${item.reason}.`, { line: item.line });
    }
    const h = readHeader(item.fields);
    if (h.missing.length || h.duplicates.length) {
      throw new WardenError(
        'invalid_csv',
        h.missing.length
          ? `The file lacks required ACLED columns: ${h.missing.join(', ')}.`
          : `Columns appear twice: ${h.duplicates.join(', ')}.`,
        {
          missing: h.missing,
          duplicates: h.duplicates,
          unknown: h.unknown,
          required: REQUIRED_COLUMNS,
          expected: ACLED_COLUMNS,
        },
      );
    }
    for (const name of h.unknown) {
      this.issue('warnings', {
        row: 1,
        line: item.line,
        field: name,
        reason: `"${name}" is not an ACLED column; its values are kept in source`,
      });
    }
    this.header = h;
    this.seed = seedOf(h.names.join('\u001f'));
  }

  private take1(fields: string[], at: { row: number; line: number }, stray: number): void {
    const h = this.header!;
    const mapped = mapAcledRow(this.acled, h, fields);
    const eventId = mapped.incident?.eventId ?? (fields[h.col.event_id_cnty] ?? '').trim();
    const tag = eventId ? { eventId } : {};
    if (stray >= 0) {
      this.issue('warnings', {
        ...at,
        field: h.names[stray] ?? null,
        reason: 'a quote inside an unquoted field was kept as text',
        ...tag,
      });
    }
    for (const w of mapped.warnings) this.issue('warnings', { ...at, ...w, ...tag });
    const errors = [...mapped.errors];
    const m = mapped.incident;
    if (m) {
      const first = this.seen.get(m.eventId);
      if (first !== undefined) {
        errors.push({ field: 'event_id_cnty', reason: `duplicate of row ${first}; the first is kept` });
      }
      const p = this.actor.principal;
      if (
        p &&
        !inScope(p, {
          country: m.country,
          postIds: m.geoPrecision === 'region' ? [] : this.near.near(m.lat, m.lon).map((l) => l.postId),
        })
      ) {
        errors.push({ field: 'country', reason: `incidents in ${m.country} are outside your scope` });
      }
    }
    if (!m || errors.length) {
      this.report.failed++;
      for (const e of errors) this.issue('errors', { ...at, ...e, ...tag });
      return;
    }
    this.seen.set(detach(m.eventId), at.row);
    this.batch.push({ ...at, incident: m, hash: contentHash(this.seed, fields) });
  }

  /** Writes the pending rows in one transaction with one audit entry. */
  async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    if (batch.length === 0) return;
    const ctx = this.ctx;
    const write = async (db: Db) => {
      if (!this.report.dryRun) await lockIncidentImport(db, ctx.store.backend);
      const existing = await findByEventIds(
        db,
        batch.map((b) => b.incident.eventId),
      );
      const newActors = this.actorsToCreate(batch);
      if (!this.report.dryRun && newActors.length) {
        await insertActorsIfAbsent(db, newActors);
        // Another import may have created some of them first: use the stored ids.
        const stored = await findActorsByKeys(
          db,
          newActors.map((a) => a.nameKey),
        );
        for (const [key, a] of stored) this.actors.set(key, { id: a.id, type: a.type });
      }
      this.report.actorsCreated += newActors.length;
      await this.upgradeActorTypes(db, batch);
      const now = iso(ctx.clock.now());
      const rows: IncidentTable[] = [];
      const actorRows: IncidentActorTable[] = [];
      const linkRows: IncidentPostTable[] = [];
      const counts = { inserted: 0, updated: 0, unchanged: 0 };
      for (const b of batch) {
        const old = existing.get(b.incident.eventId);
        if (old?.retractedAt) {
          this.report.retracted++;
          this.issue('warnings', {
            row: b.row,
            line: b.line,
            field: 'event_id_cnty',
            reason: 'the incident was retracted in Warden; left retracted',
            eventId: b.incident.eventId,
          });
          continue;
        }
        if (old && old.contentHash === b.hash) {
          counts.unchanged++;
          continue;
        }
        if (!old) {
          counts.inserted++;
          this.newRows(b, now, rows, actorRows, linkRows);
          continue;
        }
        counts.updated++;
        const before = await findIncident(db, old.id);
        if (!before) continue;
        const incident = this.toIncident(b.incident, before, now);
        const links = linksFor(this.near, incident);
        this.report.linked += links.length;
        if (this.report.dryRun) continue;
        await insertVersion(db, {
          incidentId: before.id,
          version: before.version,
          state: before,
          replacedAt: now,
          replacedBy: this.by,
        });
        await replaceIncident(db, incident, b.hash, links);
      }
      this.report.inserted += counts.inserted;
      this.report.updated += counts.updated;
      this.report.unchanged += counts.unchanged;
      if (this.report.dryRun) return;
      await insertIncidentRows(db, rows);
      await insertIncidentActorRows(db, actorRows);
      await insertPostLinkRows(db, linkRows);
      if (counts.inserted + counts.updated > 0) {
        await recordAudit(ctx, db, this.actor, 'incident.import', `import:${this.report.importId}`, {
          rows: [batch[0]!.row, batch[batch.length - 1]!.row],
          ...counts,
          eventIds: [batch[0]!.incident.eventId, batch[batch.length - 1]!.incident.eventId],
        });
      }
    };
    if (this.report.dryRun) await write(ctx.store.db);
    else await ctx.store.db.transaction().execute(write);
  }

  private actorsToCreate(batch: readonly Pending[]): { actor: Actor; nameKey: string }[] {
    const out = new Map<string, { actor: Actor; nameKey: string }>();
    const now = iso(this.ctx.clock.now());
    for (const b of batch) {
      for (const a of b.incident.actors) {
        if (this.actors.has(a.key) || out.has(a.key)) continue;
        const key = detach(a.key);
        out.set(key, {
          nameKey: key,
          actor: {
            id: newId(),
            name: a.name,
            type: a.type ?? 'unknown',
            notes: null,
            createdAt: now,
            createdBy: this.by,
            updatedAt: now,
          },
        });
      }
    }
    for (const [key, a] of out) this.actors.set(key, { id: a.actor.id, type: a.actor.type });
    return [...out.values()];
  }

  /** An actor first met as an associate (no type) takes the type an inter code later gives it. */
  private async upgradeActorTypes(db: Db, batch: readonly Pending[]): Promise<void> {
    const byType = new Map<ActorType, string[]>();
    for (const b of batch) {
      for (const a of b.incident.actors) {
        if (!a.type || a.type === 'unknown') continue;
        const known = this.actors.get(a.key);
        if (known?.type !== 'unknown') continue;
        known.type = a.type;
        const list = byType.get(a.type) ?? [];
        list.push(known.id);
        byType.set(a.type, list);
      }
    }
    if (this.report.dryRun) return;
    for (const [type, ids] of byType) await setActorTypes(db, ids, type, iso(this.ctx.clock.now()));
  }

  /**
   * The rows of a new incident, built straight from the mapped row: the hot path of a large
   * import, so no intermediate Incident object and the source columns serialised once.
   */
  private newRows(
    b: Pending,
    now: string,
    rows: IncidentTable[],
    actorRows: IncidentActorTable[],
    linkRows: IncidentPostTable[],
  ): void {
    const m = b.incident;
    const id = orderedId();
    rows.push({
      id,
      event_id: m.eventId,
      occurred_at: m.occurredAt,
      time_precision: m.timePrecision,
      lat: m.lat,
      lon: m.lon,
      geo_precision: m.geoPrecision,
      place: m.place,
      country: m.country,
      region: m.region,
      type: m.type,
      sub_type: m.subType,
      target_text: null,
      target_post_id: null,
      fatalities: m.fatalities,
      injuries: null,
      sources: JSON.stringify(m.sources),
      notes: m.notes,
      source: m.sourceJson,
      content_hash: b.hash,
      version: 1,
      created_at: now,
      created_by: this.by,
      updated_at: now,
      updated_by: this.by,
      retracted_at: null,
      retracted_by: null,
      retraction_reason: null,
    });
    for (let i = 0; i < m.actors.length; i++) {
      const a = m.actors[i]!;
      actorRows.push({
        incident_id: id,
        actor_id: this.actors.get(a.key)!.id,
        role: a.role,
        confidence: a.confidence,
        position: i,
      });
    }
    if (m.geoPrecision === 'region') return;
    for (const l of this.near.near(m.lat, m.lon)) {
      this.report.linked++;
      linkRows.push({
        post_id: l.postId,
        incident_id: id,
        distance_km: l.distanceKm,
        occurred_at: m.occurredAt,
        type: m.type,
        retracted_at: null,
      });
    }
  }

  private toIncident(m: MappedIncident, old: Incident, now: string): Incident {
    const actors: IncidentActor[] = m.actors.map((a) => {
      const known = this.actors.get(a.key)!;
      return { actorId: known.id, name: a.name, type: known.type, role: a.role, confidence: a.confidence };
    });
    return {
      id: old.id,
      eventId: m.eventId,
      occurredAt: m.occurredAt,
      timePrecision: m.timePrecision,
      location: { lat: m.lat, lon: m.lon, precision: m.geoPrecision, place: m.place },
      country: m.country,
      region: m.region,
      type: m.type,
      subType: m.subType,
      // Warden-only fields survive a re-import: ACLED has no target post and no injuries.
      target: old.target,
      actors,
      fatalities: m.fatalities,
      injuries: old.injuries,
      sources: m.sources,
      notes: m.notes,
      source: JSON.parse(m.sourceJson) as Record<string, string>,
      version: old.version + 1,
      createdAt: old.createdAt,
      createdBy: old.createdBy,
      updatedAt: now,
      updatedBy: this.by,
      retraction: null,
    };
  }
}

/**
 * Imports an ACLED CSV, streamed: rows are read, checked and written in batches (one
 * transaction and one audit entry each). Idempotent by event id: an unchanged row writes
 * nothing, a changed one updates the incident (its previous state versioned), a row never
 * duplicates. Every row that is not imported is in `errors` with its row, line, field and reason;
 * wrong or missing required columns refuse the whole file up front (invalid_csv).
 */
export async function importIncidentsCsv(
  ctx: Context,
  actor: AuditActor,
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const started = performance.now();
  const im = new Importer(ctx, actor, opts);
  await im.prepare();
  const reader = new CsvReader();
  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  for await (const chunk of input) {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (opts.maxBytes !== undefined && bytes > opts.maxBytes) {
      throw new WardenError('body_too_large', `The file is larger than ${opts.maxBytes} bytes.`, {
        limit: opts.maxBytes,
      });
    }
    await im.take(reader.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })));
    opts.onProgress?.({ bytes, rows: im.report.rows });
  }
  await im.take(reader.push(decoder.decode()));
  await im.take(reader.end());
  if (!im.hasHeader) {
    throw new WardenError('invalid_csv', 'The file is empty: it has no header row.', {
      required: REQUIRED_COLUMNS,
      expected: ACLED_COLUMNS,
    });
  }
  await im.flush();
  if (!im.report.dryRun && im.report.inserted + im.report.updated >= ANALYZE_AFTER) {
    await analyzeIncidents(ctx.store.db, ctx.store.backend);
  }
  opts.onProgress?.({ bytes, rows: im.report.rows });
  im.report.durationMs = Math.round(performance.now() - started);
  return im.report;
}
