import { availableParallelism } from 'node:os';
import type { Context } from '../../context.ts';
import { iso } from '../../domain/clock.ts';
import { deriveKey } from '../../domain/crypto.ts';
import { type CsvItem, CsvReader } from '../../domain/csv.ts';
import { reEnrollFlag, tombstoneHash } from '../../domain/enrollments/tombstone.ts';
import { WardenError } from '../../domain/errors.ts';
import { orderedId } from '../../domain/ids.ts';
import { type Actor, actorId, recordAudit } from '../../services/audit/audit.ts';
import { requireOrganisation } from '../../services/organisations/organisations.ts';
import type { OpenTransaction } from '../../store/db.ts';
import { analyzeEnrollments, findImportedPersons, tuneSqliteForBulk } from '../../store/enrollments/bulk.ts';
import { startImportRow, updateImportRow } from '../../store/organisations/organisations.ts';
import { countTombstones, deleteTombstones, findTombstones } from '../../store/organisations/tombstones.ts';
import {
  COL,
  canonicalValues,
  ENROLLMENT_COLUMNS,
  type EnrollmentHeader,
  personHash,
  type RawRow,
  REQUIRED_COLUMNS,
  type RowIssue,
  type RowRef,
  readEnrollmentHeader,
  refuseAll,
} from './format.ts';
import { duplicateRows, type PersonEnv, type PersonGroup } from './person.ts';
import { type Prepared, PreparerPool, unpack } from './pool.ts';
import { type WriteItem, writePrepared } from './write.ts';

export interface EnrollmentImportReport {
  readonly importId: string;
  /** Data rows read (the header and blank rows excluded). */
  rows: number;
  /** People (distinct external ids) read. */
  persons: number;
  created: number;
  updated: number;
  unchanged: number;
  /** People refused (each of their rows is in `errors`). */
  failedPersons: number;
  /** Rows not imported; each has at least one entry in `errors`. */
  failed: number;
  errorCount: number;
  /** At most MAX_LISTED; `errorCount` is exact. */
  readonly errors: RowIssue[];
  truncated: boolean;
  bytes: number;
  /** Worker threads that checked and sealed rows (0: all on the importing thread). */
  workers: number;
  durationMs: number;
}

export interface EnrollmentImportOptions {
  readonly via: 'staff' | 'organisation' | 'cli';
  /** Refuse (body_too_large) beyond this many bytes. */
  readonly maxBytes?: number;
  readonly onProgress?: (p: { bytes: number; rows: number }) => void;
  /** Every problem, as found (the report keeps the first MAX_LISTED): for a full error file. */
  readonly onIssue?: (issue: RowIssue) => void;
  /** Worker threads (default config.importWorkers); 0 keeps all work on this thread. */
  readonly workers?: number;
  /** People read before the workers start: a small file is done before they would be ready. */
  readonly workerThreshold?: number;
  /** People per batch (checked and sealed together; one audit entry each). */
  readonly batchSize?: number;
  /** People written per transaction at most (batches ready one after another share one). */
  readonly commitEvery?: number;
  /** Once the workers start, wait for them instead of working on this thread meanwhile. */
  readonly awaitWorkers?: boolean;
}

export const MAX_LISTED = 10_000;
const DEFAULT_BATCH = 2000;
/**
 * People per write transaction at most, on SQLite. Committing costs the pages the transaction
 * dirtied, and the contacts' blind-index B-tree takes random inserts, so larger transactions
 * write each person for less (figures: docs/performance-history.md).
 */
const SQLITE_COMMIT_EVERY = 20_000;
/** On PostgreSQL a commit costs a WAL flush, not the pages: smaller transactions hold less. */
const POSTGRES_COMMIT_EVERY = 10_000;
/** A write transaction is committed once this old, so that it holds the store only so long. */
const MAX_TRANSACTION_MS = 1000;
/**
 * Batches read ahead of the writer: the workers' share (PreparerPool's AHEAD) and more, which
 * this thread checks and seals itself while reading waits.
 */
const IN_FLIGHT = 8;
const DEFAULT_WORKER_THRESHOLD = 5000;
/** An import whose heartbeat is older than this is taken to be dead. */
const STALE_MS = 10 * 60_000;
const HEARTBEAT_MS = 15_000;
const ANALYZE_AFTER = 10_000;

/**
 * Worker threads by default: the configured number, but at most one fewer than the cores, since
 * this thread works full time too (it reads, looks up and writes), and each worker starts its own
 * loader and gazetteer index (figures: docs/performance-history.md).
 */
function importWorkerCount(configured: number): number {
  return Math.min(configured, Math.max(1, availableParallelism() - 1));
}

/** A copy that does not keep the (1 MB) chunk of text it was sliced from alive. */
const detach = (s: string): string => (s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8'));

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const BAD_ID = /[\u0000-\u001F\u007F-\u009F\uFFFD]/;

interface Group {
  externalId: string;
  rows: RawRow[];
  /** Problems found while grouping: the person is refused without further checks. */
  refusal: RowIssue[];
  /** The file asks to enroll this person again even if they deleted themselves (`re_enroll`). */
  reEnroll: boolean;
}

interface Batch {
  /** The people sent to be checked and sealed, packed (unpacked when written). */
  readonly work: Promise<Prepared[]>;
  /** In file order: a refused person, or the rows of the next prepared one. */
  readonly items: ReadonlyArray<WriteItem | readonly RowRef[]>;
  /** Its work has settled: writing it will not wait for the workers. */
  ready: boolean;
  /** Tombstone hashes of the people it enrolls again (deleted with their write), by external id. */
  readonly reEnrolled: ReadonlyMap<string, string>;
  written?: Promise<void>;
}

/** Counts of a write transaction, added to the report once it commits. */
interface Pending {
  persons: number;
  created: number;
  updated: number;
  failedPersons: number;
  /** The rows it wrote people of, first and last. */
  first: number;
  last: number;
}

const noop = () => {};
const isRows = (x: WriteItem | readonly RowRef[]): x is readonly RowRef[] => Array.isArray(x);
const noPending = (): Pending => ({
  persons: 0,
  created: 0,
  updated: 0,
  failedPersons: 0,
  first: Number.POSITIVE_INFINITY,
  last: 0,
});

class EnrollmentImporter {
  readonly report: EnrollmentImportReport;
  private header: EnrollmentHeader | null = null;
  private row = 1;
  private current: Group | null = null;
  private readonly seen = new Map<string, number>();
  private groups: Group[] = [];
  private readonly inFlight: Batch[] = [];
  private writing: Promise<void> = Promise.resolve();
  private readonly pool: PreparerPool;
  private readonly env: PersonEnv;
  private readonly hashKey: Buffer;
  private readonly now: string;
  private workersStarted = false;
  private untune: (() => void) | null = null;
  private lastBeat = Date.now();
  /** The open write transaction, shared by batches ready one after another. */
  private txn: OpenTransaction | null = null;
  private txnStarted = 0;
  private pending: Pending = noPending();
  private readonly commitEvery: number;
  private readerWaiting = false;
  private readerChanged: Promise<void> | null = null;
  private wakeWriter: (() => void) | null = null;
  /** Whether the organisation has tombstones at all (most have none: no lookups then). */
  checkTombstones = false;

  constructor(
    private readonly ctx: Context,
    private readonly actor: Actor,
    private readonly organisationId: string,
    private readonly opts: EnrollmentImportOptions,
  ) {
    this.now = iso(ctx.clock.now());
    this.env = {
      now: this.now,
      kek: ctx.privacy.kek,
      blindKey: ctx.privacy.blindIndex,
      allowPrivateWebhooks: ctx.config.webhookAllowPrivate,
    };
    this.hashKey = deriveKey(ctx.config.secretKey, 'enrollment-content/v1');
    this.pool = new PreparerPool(this.env);
    this.commitEvery =
      opts.commitEvery ?? (ctx.store.backend === 'sqlite' ? SQLITE_COMMIT_EVERY : POSTGRES_COMMIT_EVERY);
    this.report = {
      // Time-ordered, so that imports started in the same millisecond still list in order.
      importId: orderedId(),
      rows: 0,
      persons: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      failedPersons: 0,
      failed: 0,
      errorCount: 0,
      errors: [],
      truncated: false,
      bytes: 0,
      workers: 0,
      durationMs: 0,
    };
  }

  get hasHeader(): boolean {
    return this.header !== null;
  }

  private list(issues: readonly RowIssue[]): void {
    const r = this.report;
    const rows = new Set<number>();
    for (const i of issues) {
      this.opts.onIssue?.(i);
      r.errorCount++;
      rows.add(i.row);
      if (r.errors.length >= MAX_LISTED) r.truncated = true;
      else r.errors.push(i.externalId === undefined ? i : { ...i, externalId: detach(i.externalId) });
    }
    r.failed += rows.size;
  }

  private standalone(item: { line: number }, field: string | null, code: string, reason: string): void {
    this.list([{ row: this.row, line: item.line, field, code, reason }]);
  }

  async take(items: readonly CsvItem[]): Promise<void> {
    for (const item of items) {
      if (!this.header) {
        if (item.kind === 'broken') {
          throw new WardenError('invalid_csv', `The header cannot be read: ${item.reason}.`, {
            line: item.line,
          });
        }
        this.header = readEnrollmentHeader(item.fields);
        continue;
      }
      this.row++;
      // A row of empty fields (what spreadsheets leave at the end) is no data.
      if (item.kind === 'record' && item.fields.every((f) => f.trim() === '')) continue;
      this.report.rows++;
      if (item.kind === 'broken') {
        this.standalone(item, null, 'invalid_csv_row', item.reason);
        continue;
      }
      const h = this.header;
      const extPos = h.positions[COL.external_id]!;
      const externalId = (item.fields[extPos] ?? '').trim();
      if (item.fields.length !== h.width) {
        const issue: RowIssue = {
          row: this.row,
          line: item.line,
          field: null,
          code: 'wrong_field_count',
          reason: `the row has ${item.fields.length} fields, the header ${h.width}`,
        };
        // A broken row of the person being read refuses that person: it may have been one of its trips.
        if (this.current && externalId === this.current.externalId) this.current.refusal.push(issue);
        else this.list([issue]);
        continue;
      }
      if (!externalId) {
        this.standalone(item, 'external_id', 'required', 'is required');
        continue;
      }
      if (externalId.length > 100 || BAD_ID.test(externalId)) {
        this.standalone(item, 'external_id', 'invalid_text', 'must be at most 100 printable characters');
        continue;
      }
      const raw: RawRow = { row: this.row, line: item.line, values: canonicalValues(h, item.fields) };
      const again = h.reEnroll < 0 ? false : reEnrollFlag(item.fields[h.reEnroll] ?? '');
      const flagIssue = (): RowIssue => ({
        row: raw.row,
        line: raw.line,
        field: 're_enroll',
        code: 'invalid_value',
        reason: 'is not yes or no',
        externalId,
      });
      if (this.current?.externalId === externalId) {
        this.current.rows.push(raw);
        if (again === null) this.current.refusal.push(flagIssue());
        else this.current.reEnroll ||= again;
        continue;
      }
      await this.endGroup();
      const id = detach(externalId);
      const earlier = this.seen.get(id);
      this.current = { externalId: id, rows: [raw], refusal: [], reEnroll: again === true };
      if (again === null) this.current.refusal.push(flagIssue());
      if (earlier !== undefined) {
        this.current.refusal.push({
          row: this.row,
          line: item.line,
          field: 'external_id',
          code: 'not_consecutive',
          reason: `rows of one person must be consecutive; this external_id already appeared at row ${earlier}`,
          externalId: id,
        });
      } else this.seen.set(id, this.row);
    }
  }

  private async endGroup(): Promise<void> {
    const g = this.current;
    this.current = null;
    if (!g) return;
    this.report.persons++;
    this.groups.push(g);
    if (
      !this.workersStarted &&
      this.report.persons >= (this.opts.workerThreshold ?? DEFAULT_WORKER_THRESHOLD)
    ) {
      this.workersStarted = true;
      // A large import: the store's settings for bulk writes too, until close().
      if (this.ctx.store.sqlite) this.untune = tuneSqliteForBulk(this.ctx.store.sqlite);
      this.pool.start(this.opts.workers ?? importWorkerCount(this.ctx.config.importWorkers));
    }
    if (this.groups.length >= (this.opts.batchSize ?? DEFAULT_BATCH)) await this.dispatch();
  }

  /** Looks the batch's people up, sends the changed ones to be checked and sealed, queues the write. */
  private async dispatch(): Promise<void> {
    const groups = this.groups;
    this.groups = [];
    if (groups.length === 0) return;
    // Let the event loop turn: workers' messages (ready, results) are events, and input that is
    // already in memory, a synchronous store and resolved promises would otherwise starve them.
    if (this.workersStarted) await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.workersStarted && this.opts.awaitWorkers) await this.pool.whenStarted();
    const existing = await findImportedPersons(
      this.ctx.store.db,
      this.organisationId,
      groups.filter((g) => g.refusal.length === 0).map((g) => g.externalId),
      this.ctx.store.sqlite,
    );
    const tombstoned = this.checkTombstones
      ? await this.tombstonesOf(groups.filter((g) => g.refusal.length === 0 && !existing.has(g.externalId)))
      : null;
    const reEnrolled = new Map<string, string>();
    const toPrepare: PersonGroup[] = [];
    const items: Array<WriteItem | RowRef[]> = [];
    for (const g of groups) {
      const tomb = tombstoned?.get(g.externalId);
      if (tomb && g.refusal.length === 0) {
        // The person deleted the organisation's enrollment of them: not back without being asked.
        if (g.reEnroll) reEnrolled.set(g.externalId, tomb);
        else {
          const r = g.rows[0]!;
          g.refusal.push({
            row: r.row,
            line: r.line,
            field: 'external_id',
            code: 'erased_by_person',
            reason:
              'this person deleted their enrollment themselves; set re_enroll to yes to enroll them again',
            externalId: g.externalId,
          });
        }
      }
      if (g.refusal.length > 0) {
        items.push({
          rows: g.rows,
          prepared: {
            ok: false,
            externalId: g.externalId,
            errors: refuseAll(g.externalId, g.rows, g.refusal),
          },
        });
        continue;
      }
      const hash = personHash(this.hashKey, g.rows);
      const found = existing.get(g.externalId);
      if (found && found.contentHash === hash) {
        this.report.unchanged++;
        this.list(duplicateRows(g.externalId, g.rows));
        continue;
      }
      // Only where the rows are is kept here: their values go to be checked and sealed.
      items.push(g.rows.map((r) => ({ row: r.row, line: r.line })));
      toPrepare.push({
        externalId: g.externalId,
        rows: g.rows,
        hash,
        existing: found ? { id: found.id, wrappedKey: found.wrappedKey } : null,
      });
    }
    const work = toPrepare.length ? this.pool.prepare(toPrepare) : Promise.resolve([]);
    const batch: Batch = { work, items, ready: false, reEnrolled };
    // Keep the rejection for the writer, which awaits it in order.
    work.then(
      () => {
        batch.ready = true;
      },
      () => {
        batch.ready = true;
      },
    );
    this.inFlight.push(batch);
    // Written one batch at a time, in file order.
    this.writing = this.writing.then(() => this.write(batch));
    batch.written = this.writing;
    // Awaited later (back-pressure, finish); this only keeps a failure from counting as unhandled.
    this.writing.catch(() => {});
    // Back-pressure: reading waits while the workers and the writer are this far behind (enough
    // for the workers' share, see PreparerPool, and some for this thread to help with).
    const limit = IN_FLIGHT;
    if (this.inFlight.length > limit) {
      this.setReaderWaiting(true);
      while (this.inFlight.length > limit) await this.inFlight[0]!.written;
      this.setReaderWaiting(false);
    } else this.setReaderWaiting(false);
  }

  /** The tombstone hash of each of these people who deleted themselves, by external id. */
  private async tombstonesOf(groups: readonly Group[]): Promise<Map<string, string>> {
    const key = this.ctx.keys.tombstone;
    const hashes = new Map(
      groups.map((g) => [tombstoneHash(key, this.organisationId, g.externalId), g.externalId]),
    );
    const found = await findTombstones(
      this.ctx.store.db,
      this.organisationId,
      [...hashes.keys()],
      this.ctx.store.sqlite,
    );
    return new Map([...found].map((h) => [hashes.get(h)!, h]));
  }

  /** Whether reading waits (for the writer, or for nothing: the input has ended). */
  private setReaderWaiting(waiting: boolean): void {
    this.readerWaiting = waiting;
    const wake = this.wakeWriter;
    this.wakeWriter = null;
    this.readerChanged = null;
    wake?.();
  }

  /** Settles when reading has sent another batch, or starts or stops waiting. */
  private readerChange(): Promise<void> {
    this.readerChanged ??= new Promise<void>((resolve) => {
      this.wakeWriter = resolve;
    });
    return this.readerChanged;
  }

  /**
   * Writes a batch in the open write transaction (opening one if none is), and commits when the
   * transaction is large or old enough, or before waiting for work that is not ready: the store is
   * never held while this import waits for its workers. The report counts what was committed.
   */
  private async write(batch: Batch): Promise<void> {
    try {
      // One event-loop turn between batches: batches written one after another are promise
      // callbacks, and the workers' messages (results, and so their next chunks) would wait.
      await new Promise<void>((resolve) => setImmediate(resolve));
      // Until the batch is ready this thread reads on (reading feeds the workers) or, once
      // reading waits too, checks and seals what is still queued; when there is nothing to do
      // but wait, it commits first, so as not to hold the store meanwhile.
      while (!batch.ready) {
        if (!this.readerWaiting) {
          await Promise.race([batch.work.then(noop, noop), this.pool.event(), this.readerChange()]);
          continue;
        }
        if (this.pool.help()) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          continue;
        }
        await this.commit();
        await Promise.race([batch.work.then(noop, noop), this.pool.event()]);
      }
      const prepared = unpack(await batch.work);
      let next = 0;
      const items = batch.items.map(
        (x): WriteItem => (isRows(x) ? { rows: x, prepared: prepared[next++]! } : x),
      );
      if (items.length === 0) return;
      const ctx = this.ctx;
      if (!this.txn) {
        this.txn = await ctx.store.db.startTransaction().execute();
        this.txnStarted = Date.now();
      }
      const trx = this.txn;
      const results = await writePrepared(
        trx,
        { organisationId: this.organisationId, now: this.now, sqlite: ctx.store.sqlite },
        items,
      );
      const back: string[] = [];
      for (const r of results) {
        const hash = r.outcome !== 'refused' && r.person && batch.reEnrolled.get(r.person.externalId);
        if (hash) back.push(hash);
      }
      await deleteTombstones(trx, this.organisationId, back);
      const counts = { created: 0, updated: 0 };
      const p = this.pending;
      for (const r of results) {
        if (r.outcome === 'refused') p.failedPersons++;
        else counts[r.outcome]++;
        this.list(r.issues);
      }
      p.persons += items.length;
      p.created += counts.created;
      p.updated += counts.updated;
      if (counts.created + counts.updated > 0) {
        for (const i of items) {
          p.first = Math.min(p.first, i.rows[0]!.row);
          p.last = Math.max(p.last, i.rows[i.rows.length - 1]!.row);
        }
      }
      if (Date.now() - this.lastBeat > HEARTBEAT_MS) {
        this.lastBeat = Date.now();
        await updateImportRow(trx, this.report.importId, {
          heartbeat_at: iso(ctx.clock.now()),
          ...this.counts(),
        });
      }
      if (p.persons >= this.commitEvery || Date.now() - this.txnStarted >= MAX_TRANSACTION_MS) {
        await this.commit();
      }
    } finally {
      this.inFlight.splice(this.inFlight.indexOf(batch), 1);
    }
  }

  /**
   * Commits the open write transaction, if any, with one audit entry for what it wrote (recorded
   * last: the audit chain is appended under a lock, held from then until the commit), and counts it.
   */
  private async commit(): Promise<void> {
    const trx = this.txn;
    if (!trx) return;
    this.txn = null;
    const p = this.pending;
    this.pending = noPending();
    if (p.created + p.updated > 0) {
      await recordAudit(
        this.ctx,
        trx,
        this.actor,
        'enrollment.import',
        `organisation:${this.organisationId}`,
        {
          importId: this.report.importId,
          rows: [p.first, p.last],
          created: p.created,
          updated: p.updated,
        },
      );
    }
    const r = this.report;
    // The history row moves with every commit, in it: a process killed later leaves a row that
    // counts exactly what is in the store (issue 11: it showed 0 with 6,000 people written).
    await updateImportRow(trx, r.importId, {
      heartbeat_at: iso(this.ctx.clock.now()),
      ...this.counts(),
      created: r.created + p.created,
      updated: r.updated + p.updated,
    });
    await trx.commit().execute();
    r.created += p.created;
    r.updated += p.updated;
    r.failedPersons += p.failedPersons;
  }

  /** Takes back the open write transaction after a failure: nothing of it was counted. */
  private async rollback(): Promise<void> {
    const trx = this.txn;
    this.txn = null;
    this.pending = noPending();
    if (trx) await trx.rollback().execute();
  }

  counts() {
    const r = this.report;
    return {
      bytes: r.bytes,
      rows: r.rows,
      persons: r.persons,
      created: r.created,
      updated: r.updated,
      unchanged: r.unchanged,
      failed: r.failed,
      error_count: r.errorCount,
    };
  }

  async finish(): Promise<void> {
    await this.endGroup();
    await this.dispatch();
    this.setReaderWaiting(true);
    await this.writing;
    await this.commit();
  }

  async close(): Promise<void> {
    // A failed batch must not leave later ones running against a closed store.
    await this.writing.catch(() => {});
    await this.rollback().catch(() => {});
    this.report.workers = this.pool.usedWorkers;
    await this.pool.close();
    this.untune?.();
    this.untune = null;
    // In file order, whatever order the batches' problems were found in.
    this.report.errors.sort((a, b) => a.row - b.row);
  }
}

/** Decodes UTF-8; a UTF-16 file (a BOM of FF FE or FE FF) is refused whole with a precise reason. */
function checkEncoding(first: Buffer): void {
  if (
    first.length >= 2 &&
    ((first[0] === 0xff && first[1] === 0xfe) || (first[0] === 0xfe && first[1] === 0xff))
  ) {
    throw new WardenError('invalid_csv', 'The file is UTF-16; save it as "CSV UTF-8" and import it again.', {
      encoding: 'utf-16',
    });
  }
}

/**
 * Imports an organisation's enrollment CSV (docs/enrollment-import.md), streamed: people are
 * read, checked and sealed (on worker threads for a large file) and written in batches, each one
 * transaction with its audit entry. Idempotent by external_id: an unchanged person writes nothing,
 * a changed one is rewritten whole, a person is never duplicated. A person with any bad row is
 * refused whole and every row not imported is in `errors` with its row, field and reason; a file
 * whose header is wrong is refused up front (invalid_csv). One import per organisation at a time.
 */
export async function importEnrollmentsCsv(
  ctx: Context,
  actor: Actor,
  organisationId: string,
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  opts: EnrollmentImportOptions,
): Promise<EnrollmentImportReport> {
  const started = performance.now();
  const org = await requireOrganisation(ctx, organisationId);
  if (org.disabled_at)
    throw new WardenError('conflict', 'The organisation is disabled.', { id: organisationId });
  const im = new EnrollmentImporter(ctx, actor, organisationId, opts);
  const now = iso(ctx.clock.now());
  const began = await startImportRow(
    ctx.store.db,
    {
      id: im.report.importId,
      organisation_id: organisationId,
      actor: actorId(actor),
      via: opts.via,
      status: 'running',
      started_at: now,
      heartbeat_at: now,
      finished_at: null,
      error: null,
      ...im.counts(),
    },
    iso(new Date(ctx.clock.now().getTime() - STALE_MS)),
  );
  im.checkTombstones = began && (await countTombstones(ctx.store.db, organisationId)) > 0;
  if (!began) {
    throw new WardenError(
      'conflict',
      'Another import for this organisation is running; try again when it ends.',
      {
        organisationId,
      },
    );
  }
  const reader = new CsvReader();
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of input) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      if (im.report.bytes === 0) checkEncoding(buf);
      im.report.bytes += buf.length;
      if (opts.maxBytes !== undefined && im.report.bytes > opts.maxBytes) {
        throw new WardenError('body_too_large', `The file is larger than ${opts.maxBytes} bytes.`, {
          limit: opts.maxBytes,
        });
      }
      await im.take(reader.push(decoder.decode(buf, { stream: true })));
      opts.onProgress?.({ bytes: im.report.bytes, rows: im.report.rows });
    }
    await im.take(reader.push(decoder.decode()));
    await im.take(reader.end());
    if (!im.hasHeader) {
      throw new WardenError('invalid_csv', 'The file is empty: it has no header row.', {
        required: REQUIRED_COLUMNS,
        expected: ENROLLMENT_COLUMNS,
      });
    }
    await im.finish();
  } catch (err) {
    await im.close();
    const reason = err instanceof WardenError ? `${err.code}: ${err.message}` : 'internal error';
    await updateImportRow(ctx.store.db, im.report.importId, {
      status: 'failed',
      error: reason,
      finished_at: iso(ctx.clock.now()),
      ...im.counts(),
    }).catch(() => {});
    throw err;
  }
  await im.close();
  const r = im.report;
  r.durationMs = Math.round(performance.now() - started);
  await ctx.store.db.transaction().execute(async (trx) => {
    await updateImportRow(trx, r.importId, {
      status: 'done',
      finished_at: iso(ctx.clock.now()),
      ...im.counts(),
    });
    await recordAudit(ctx, trx, actor, 'organisation.import', `organisation:${organisationId}`, {
      importId: r.importId,
      via: opts.via,
      bytes: r.bytes,
      rows: r.rows,
      persons: r.persons,
      created: r.created,
      updated: r.updated,
      unchanged: r.unchanged,
      failedPersons: r.failedPersons,
      failed: r.failed,
      errorCount: r.errorCount,
    });
  });
  if (r.created + r.updated >= ANALYZE_AFTER) await analyzeEnrollments(ctx.store.db, ctx.store.backend);
  opts.onProgress?.({ bytes: r.bytes, rows: r.rows });
  return r;
}
