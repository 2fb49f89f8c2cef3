import { Worker } from 'node:worker_threads';
import { type ErrorCode, WardenError } from '../../domain/errors.ts';
import { workerBootstrap } from '../worker-bootstrap.ts';
import type { PreparedBatch, PrepareOptions } from './rows.ts';
import type { FromWorker, ToWorker } from './worker.ts';

const bootstrap = (): string | null => workerBootstrap(new URL('./worker.ts', import.meta.url));

/** Bytes of the file sent to the worker and not yet read by it: about two batches. */
const READ_AHEAD_BYTES = 8 << 20;

/**
 * A worker thread that reads and checks the file (RowPreparer) while this thread writes: chunks
 * go in as they arrive, batches come back and are written one at a time, in order. Reading waits
 * while the worker or the writes fall behind, so memory stays bounded whatever the file's size.
 */
export class PreparerWorker {
  private readonly sent: number[] = [];
  private unread = 0;
  /** Rows read and not yet written. */
  private waiting = 0;
  private done = false;
  private closed = false;
  private failure: unknown = null;
  private writing: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly write: (b: PreparedBatch) => Promise<void>,
    private readonly progress: (rows: number) => void,
    private readonly maxWaiting: number,
  ) {
    worker.on('message', (m: FromWorker) => this.receive(m));
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', (code) => {
      if (!this.done && !this.closed) this.fail(new Error(`incident import worker exited (${code})`));
    });
  }

  /** `maxWaiting`: rows read and not yet written beyond which reading waits. */
  static start(
    options: PrepareOptions,
    write: (b: PreparedBatch) => Promise<void>,
    progress: (rows: number) => void,
    maxWaiting: number,
  ): PreparerWorker | null {
    const code = bootstrap();
    if (!code) return null;
    const pipe = new PreparerWorker(new Worker(code, { eval: true }), write, progress, maxWaiting);
    pipe.post({ kind: 'init', options });
    return pipe;
  }

  private post(m: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private changed(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private fail(err: unknown): void {
    this.failure ??= err;
    this.notify();
  }

  private receive(m: FromWorker): void {
    switch (m.kind) {
      case 'ready':
        return;
      case 'ack':
        this.unread -= this.sent.shift() ?? 0;
        try {
          this.progress(m.rows);
        } catch (err) {
          this.fail(err);
        }
        this.notify();
        return;
      case 'batch': {
        const batch = m.batch;
        this.waiting += batch.count;
        this.writing = this.writing
          .then(() => (this.failure || this.closed ? undefined : this.write(batch)))
          .then(
            () => {
              this.waiting -= batch.count;
              this.notify();
            },
            (err: unknown) => {
              this.waiting -= batch.count;
              this.fail(err);
            },
          );
        return;
      }
      case 'done':
        this.done = true;
        this.notify();
        return;
      case 'error':
        this.fail(
          m.code
            ? new WardenError(m.code as ErrorCode, m.message, (m.details ?? {}) as Record<string, unknown>)
            : new Error(`incident import worker: ${m.message}`),
        );
        return;
      default: {
        const never: never = m;
        throw new Error(`unexpected message ${JSON.stringify(never)}`);
      }
    }
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  /** Hands a chunk of the file over; waits while the worker or the writes are behind. */
  async push(chunk: Buffer | string): Promise<void> {
    this.check();
    const size = typeof chunk === 'string' ? chunk.length * 2 : chunk.length;
    this.sent.push(size);
    this.unread += size;
    if (typeof chunk === 'string') this.post({ kind: 'chunk', data: chunk });
    else {
      // A Buffer may be a view into a shared pool: hand over a copy of its bytes.
      const copy = new Uint8Array(chunk);
      this.post({ kind: 'chunk', data: copy }, [copy.buffer]);
    }
    while (!this.failure && (this.unread > READ_AHEAD_BYTES || this.waiting > this.maxWaiting)) {
      await this.changed();
    }
    this.check();
  }

  /** The end of the file: waits until every batch is written. */
  async end(): Promise<void> {
    this.check();
    this.post({ kind: 'end' });
    while (!this.failure && !this.done) await this.changed();
    await this.writing;
    this.check();
  }

  /** Stops the worker, after the write in progress (if any) has finished. */
  async close(): Promise<void> {
    this.closed = true;
    await this.writing.catch(() => undefined);
    await this.worker.terminate();
  }
}
