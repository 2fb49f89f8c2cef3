import { inScope } from '../../domain/auth/policy.ts';
import type { Principal } from '../../domain/auth/principal.ts';
import { WardenError } from '../../domain/errors.ts';
import { loadGeography } from '../../domain/geo/index.ts';
import { orderedId } from '../../domain/ids.ts';
import {
  ACLED_COLUMNS,
  type AcledContext,
  type AcledHeader,
  acledContext,
  mapAcledRow,
  REQUIRED_COLUMNS,
  readHeader,
} from '../../domain/incidents/acled.ts';
import { cellOf } from '../../domain/incidents/cells.ts';
import { type CsvItem, CsvReader } from '../../domain/incidents/csv-reader.ts';
import { NearPosts, type PostPoint } from '../../domain/incidents/near.ts';
import type { IncidentSubType, IncidentType } from '../../domain/incidents/taxonomy.ts';
import {
  ACTOR_ROLES,
  type ActorType,
  CONFIDENCES,
  type GeoPrecision,
  type TimePrecision,
} from '../../domain/incidents/types.ts';

/**
 * The CPU half of an ACLED import: reads the CSV, maps and checks each row, and turns the good
 * ones into batches ready for the store (one JSON text per incident). No I/O and no database:
 * the same code runs on a worker thread for a large file (imports/incidents/worker.ts), overlapping
 * with the writes on the main thread, or inline for a small one, with identical results.
 */

/** Where in the file: `row` counts records as a spreadsheet does (the header is row 1), `line` physical lines. */
export interface ImportIssue {
  readonly row: number;
  readonly line: number;
  readonly field: string | null;
  readonly reason: string;
  readonly eventId?: string;
}

/** At most this many errors and this many warnings are listed; the counts stay exact. */
export const MAX_LISTED = 10_000;

/** An incident's columns in IMPORT_INCIDENT_COLUMNS order (src/store/incidents/json.ts), id first. */
export type IncidentValues = readonly [
  id: string,
  eventId: string,
  occurredAt: string,
  timePrecision: TimePrecision,
  lat: number,
  lon: number,
  cell: number,
  geoPrecision: GeoPrecision,
  place: string | null,
  country: string,
  region: string | null,
  type: IncidentType,
  subType: IncidentSubType,
  fatalities: number,
  sources: string,
  notes: string | null,
  source: string,
  contentHash: string,
];
/** Values per row in PreparedBatch.values. */
export const ROW_WIDTH = 18;

/**
 * The good rows of a stretch of the file, column by column (a few arrays rather than objects per
 * row: cheaper to build, to send between threads and to keep until written), with the issues
 * and the new actors of that stretch. Row i's values are values[i * ROW_WIDTH ...] (format
 * `values`: SQLite binds them) or json[i], their JSON text (format `json`: PostgreSQL unpacks
 * it, sparing this thread tens of values a row).
 */
export interface PreparedBatch {
  readonly count: number;
  readonly rowNumbers: Int32Array;
  readonly lines: Int32Array;
  readonly eventIds: string[];
  readonly hashes: string[];
  readonly values: unknown[];
  readonly json: string[];
  /**
   * Actors of row i, in ACLED's order (actor1, its associates, actor2, its associates): the
   * triples actorData[3k .. 3k + 2] for k in actorStart[i] .. actorStart[i + 1] - 1, each the
   * actor's index (see newActors), its role (index in ACTOR_ROLES) and confidence (in CONFIDENCES).
   */
  readonly actorStart: Int32Array;
  readonly actorData: Int32Array;
  /** Links to posts: row i in this batch, the post's index in PrepareOptions.posts, the distance. */
  readonly linkRows: Int32Array;
  readonly linkPosts: Int32Array;
  readonly linkKm: Float64Array;
  /** Data records read so far (the header excluded), broken ones included. */
  readonly rowsRead: number;
  /** Records in this batch's stretch of the file that cannot be imported. */
  readonly failed: number;
  readonly errorCount: number;
  readonly warningCount: number;
  /** Listed issues of this stretch, in row order (none once MAX_LISTED were listed). */
  readonly errors: ImportIssue[];
  readonly warnings: ImportIssue[];
  /** Actors met for the first time in this import: [index, name key, name]. */
  readonly newActors: Array<readonly [number, string, string]>;
  /** The first type an inter code gives an actor, once per actor: [index, type]. */
  readonly actorTypes: Array<readonly [number, ActorType]>;
}

/** A batch being filled. */
class Filling {
  readonly rowNumbers: number[] = [];
  readonly lines: number[] = [];
  readonly eventIds: string[] = [];
  readonly hashes: string[] = [];
  readonly values: unknown[] = [];
  readonly json: string[] = [];
  readonly actorStart: number[] = [0];
  readonly actorData: number[] = [];
  readonly linkRows: number[] = [];
  readonly linkPosts: number[] = [];
  readonly linkKm: number[] = [];
  failed = 0;
  errorCount = 0;
  warningCount = 0;
  readonly errors: ImportIssue[] = [];
  readonly warnings: ImportIssue[] = [];
  readonly newActors: Array<readonly [number, string, string]> = [];
  readonly actorTypes: Array<readonly [number, ActorType]> = [];

  get count(): number {
    return this.eventIds.length;
  }

  done(rowsRead: number): PreparedBatch {
    return {
      count: this.count,
      rowNumbers: Int32Array.from(this.rowNumbers),
      lines: Int32Array.from(this.lines),
      eventIds: this.eventIds,
      hashes: this.hashes,
      values: this.values,
      json: this.json,
      actorStart: Int32Array.from(this.actorStart),
      actorData: Int32Array.from(this.actorData),
      linkRows: Int32Array.from(this.linkRows),
      linkPosts: Int32Array.from(this.linkPosts),
      linkKm: Float64Array.from(this.linkKm),
      rowsRead,
      failed: this.failed,
      errorCount: this.errorCount,
      warningCount: this.warningCount,
      errors: this.errors,
      warnings: this.warnings,
      newActors: this.newActors,
      actorTypes: this.actorTypes,
    };
  }
}

const NO_TAG = {};
const ROLE_CODE = new Map<string, number>(ACTOR_ROLES.map((r, i) => [r, i]));
const CONFIDENCE_CODE = new Map<string, number>(CONFIDENCES.map((c, i) => [c, i]));

/** What the CPU half needs to know, all of it cloneable to a worker. */
export interface PrepareOptions {
  readonly nowMs: number;
  /** The importing officer's scope; null for the unscoped (CLI, admin, demo). */
  readonly principal: Principal | null;
  readonly posts: readonly PostPoint[];
  readonly radiusKm: number;
  /** Rows per batch handed over (the writer may group several in one transaction). */
  readonly batchSize: number;
  /** How rows travel to the store (see PreparedBatch). */
  readonly format: 'values' | 'json';
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
export const detach = (s: string): string => (s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8'));

const seedOf = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
};

export class RowPreparer {
  private readonly reader = new CsvReader();
  private readonly decoder = new TextDecoder('utf-8');
  private readonly acled: AcledContext;
  private readonly near: NearPosts;
  private header: AcledHeader | null = null;
  private seed = 0;
  private row = 0;
  private rowsRead = 0;
  /** Event ids of this file, to refuse a second row with the same one. */
  private readonly seen = new Map<string, number>();
  private readonly actorIndex = new Map<string, number>();
  private readonly typed = new Set<number>();
  private listedErrors = 0;
  private listedWarnings = 0;
  private batch = new Filling();
  private readonly postIndex: Map<string, number>;

  constructor(private readonly opts: PrepareOptions) {
    this.acled = acledContext(loadGeography(), new Date(opts.nowMs));
    this.near = new NearPosts(opts.posts, opts.radiusKm);
    this.postIndex = new Map(opts.posts.map((p, i) => [p.id, i]));
  }

  get hasHeader(): boolean {
    return this.header !== null;
  }

  get rowsSoFar(): number {
    return this.rowsRead;
  }

  /** Takes the next piece of the file; returns the batches that filled up. */
  push(chunk: Buffer | Uint8Array | string): PreparedBatch[] {
    // A string can hold lone surrogates, which no store accepts: make it well-formed as the
    // decoder makes bytes.
    const text =
      typeof chunk === 'string'
        ? (chunk as string & { toWellFormed(): string }).toWellFormed()
        : this.decoder.decode(chunk, { stream: true });
    return this.take(this.reader.push(text));
  }

  /** The end of the file: the last (possibly empty) batch. Refuses a file without a header. */
  end(): PreparedBatch[] {
    const out = this.take(this.reader.push(this.decoder.decode()));
    out.push(...this.take(this.reader.end()));
    if (!this.header) {
      throw new WardenError('invalid_csv', 'The file is empty: it has no header row.', {
        required: REQUIRED_COLUMNS,
        expected: ACLED_COLUMNS,
      });
    }
    out.push(this.cut());
    return out;
  }

  private cut(): PreparedBatch {
    const b = this.batch.done(this.rowsRead);
    this.batch = new Filling();
    return b;
  }

  private issue(list: 'errors' | 'warnings', i: ImportIssue): void {
    const b = this.batch;
    if (list === 'errors') {
      b.errorCount++;
      if (this.listedErrors >= MAX_LISTED) return;
      this.listedErrors++;
    } else {
      b.warningCount++;
      if (this.listedWarnings >= MAX_LISTED) return;
      this.listedWarnings++;
    }
    // Kept to the end: copied, so that it does not pin the file's text in memory.
    const kept: ImportIssue = { ...i, reason: detach(i.reason) };
    if (i.eventId !== undefined) (kept as { eventId?: string }).eventId = detach(i.eventId);
    b[list].push(kept);
  }

  private take(items: readonly CsvItem[]): PreparedBatch[] {
    const out: PreparedBatch[] = [];
    for (const item of items) {
      this.row++;
      if (!this.header) {
        this.readHeader(item);
        continue;
      }
      this.rowsRead++;
      const at = { row: this.row, line: item.line };
      if (item.kind === 'broken') {
        this.batch.failed++;
        this.issue('errors', { ...at, field: null, reason: item.reason });
        continue;
      }
      const h = this.header;
      if (item.fields.length !== h.names.length) {
        this.batch.failed++;
        this.issue('errors', {
          ...at,
          field: null,
          reason: `the row has ${item.fields.length} fields, the header ${h.names.length}`,
        });
        continue;
      }
      this.take1(item.fields, at, item.strayQuote);
      if (this.batch.count >= this.opts.batchSize) out.push(this.cut());
    }
    return out;
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
    const m = mapped.incident;
    const eventId = m?.eventId ?? (fields[h.col.event_id_cnty] ?? '').trim();
    const tag = eventId ? { eventId } : NO_TAG;
    if (stray >= 0) {
      this.issue('warnings', {
        ...at,
        field: h.names[stray] ?? null,
        reason: 'a quote inside an unquoted field was kept as text',
        ...tag,
      });
    }
    for (const w of mapped.warnings) this.issue('warnings', { ...at, ...w, ...tag });
    const errors = mapped.errors;
    const links = m && m.geoPrecision !== 'region' ? this.near.near(m.lat, m.lon) : [];
    if (m) {
      const first = this.seen.get(m.eventId);
      if (first !== undefined) {
        errors.push({ field: 'event_id_cnty', reason: `duplicate of row ${first}; the first is kept` });
      }
      const p = this.opts.principal;
      if (p && !inScope(p, { country: m.country, postIds: links.map((l) => l.postId) })) {
        errors.push({ field: 'country', reason: `incidents in ${m.country} are outside your scope` });
      }
    }
    if (!m || errors.length) {
      this.batch.failed++;
      for (const e of errors) this.issue('errors', { ...at, ...e, ...tag });
      return;
    }
    const eid = detach(m.eventId);
    this.seen.set(eid, at.row);

    const b = this.batch;
    const i = b.count;
    for (const a of m.actors) {
      let index = this.actorIndex.get(a.key);
      if (index === undefined) {
        index = this.actorIndex.size;
        const key = detach(a.key);
        this.actorIndex.set(key, index);
        b.newActors.push([index, key, detach(a.name)]);
      }
      if (a.type && a.type !== 'unknown' && !this.typed.has(index)) {
        this.typed.add(index);
        b.actorTypes.push([index, a.type]);
      }
      b.actorData.push(index, ROLE_CODE.get(a.role)!, CONFIDENCE_CODE.get(a.confidence)!);
    }
    b.actorStart.push(b.actorData.length / 3);
    for (const l of links) {
      b.linkRows.push(i);
      b.linkPosts.push(this.postIndex.get(l.postId)!);
      b.linkKm.push(l.distanceKm);
    }

    const hash = contentHash(this.seed, fields);
    const id = orderedId();
    const cell = cellOf(m.lat, m.lon);
    const sources = JSON.stringify(m.sources);
    // In IncidentValues order (pushed straight in: no array per row).
    if (this.opts.format === 'json') {
      const values: IncidentValues = [
        id,
        eid,
        m.occurredAt,
        m.timePrecision,
        m.lat,
        m.lon,
        cell,
        m.geoPrecision,
        m.place,
        m.country,
        m.region,
        m.type,
        m.subType,
        m.fatalities,
        sources,
        m.notes,
        m.sourceJson,
        hash,
      ];
      b.json.push(JSON.stringify(values));
    } else {
      b.values.push(
        id,
        eid,
        m.occurredAt,
        m.timePrecision,
        m.lat,
        m.lon,
        cell,
        m.geoPrecision,
        m.place,
        m.country,
        m.region,
        m.type,
        m.subType,
        m.fatalities,
        sources,
        m.notes,
        m.sourceJson,
        hash,
      );
    }
    b.rowNumbers.push(at.row);
    b.lines.push(at.line);
    b.hashes.push(hash);
    b.eventIds.push(eid);
  }
}
