import { Worker } from 'node:worker_threads';
import { workerBootstrap } from '../worker-bootstrap.ts';
import {
  type PersonEnv,
  type PersonGroup,
  type PlaceTable,
  type PreparedPerson,
  placeTable,
  preparePersons,
} from './person.ts';
import { placeCoordinates, sharePlaceIndex } from './places.ts';

interface Slot {
  readonly worker: Worker;
  ready: boolean;
  dead: boolean;
  /** People posted to this worker and not yet returned. */
  queued: number;
  used: boolean;
  /** Settles when the worker is ready or dead. */
  readonly started: Promise<void>;
}

/** People per message to a worker: small, so that the thread that helps takes little at a time. */
const CHUNK = 250;
/**
 * People a worker is given ahead: enough to keep it busy while the calling thread is inside a
 * long synchronous step (a commit of a large SQLite transaction takes a few hundred ms), and the
 * rest stays queued here, where the calling thread can take it when it would otherwise wait.
 */
const AHEAD = 6000;

/**
 * People to check and seal, as one JSON string: a batch in flight lives through many young-
 * generation collections, and one string is moved in one copy where thousands of rows and
 * values were each traced and moved (figures: docs/performance-history.md). Results come back
 * packed the same way, and are unpacked when written.
 */
interface Chunk {
  readonly packed: string;
  readonly count: number;
  readonly places: PlaceTable;
  readonly resolve: (r: Prepared) => void;
  readonly reject: (e: Error) => void;
}

/** Prepared people: packed (from a worker) or not (prepared on this thread). */
export type Prepared = string | PreparedPerson[];

/** The people of prepared parts, in order. */
export function unpack(parts: readonly Prepared[]): PreparedPerson[] {
  const out: PreparedPerson[] = [];
  for (const p of parts)
    for (const x of typeof p === 'string' ? (JSON.parse(p) as PreparedPerson[]) : p) out.push(x);
  return out;
}

type Pending = Chunk & { readonly slot: Slot };

const bootstrap = (): string | null => workerBootstrap(new URL('./worker.ts', import.meta.url));

/**
 * Checks and seals people on worker threads. Work is queued here in small chunks; each worker is
 * kept AHEAD people ahead, and the calling thread takes queued chunks itself when it would
 * otherwise wait for them (help()). Until a worker is ready (a second or so), or if every worker
 * has failed, the calling thread does it all, so results never depend on the workers.
 */
export class PreparerPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly queue: Chunk[] = [];
  private nextId = 1;
  private wake: (() => void) | null = null;
  private woken: Promise<void> | null = null;

  constructor(private readonly env: PersonEnv) {}

  /** Settles at the next message from a worker (a result, ready) or failure of one. */
  event(): Promise<void> {
    this.woken ??= new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    return this.woken;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    this.woken = null;
    wake?.();
  }

  /** Starts `count` workers in the background. */
  start(count: number): void {
    const code = count > 0 ? bootstrap() : null;
    if (!code) return;
    for (let i = 0; i < count; i++) {
      const worker = new Worker(code, {
        eval: true,
        // A larger young generation (sealing makes many short-lived buffers and strings) and a
        // bounded old one: a worker holds ~80 MB (geography, phone metadata) and garbage.
        resourceLimits: { maxYoungGenerationSizeMb: 32, maxOldGenerationSizeMb: 256 },
        workerData: {
          // GeoNames places by id, in shared memory: looked up in the workers without a copy.
          places: sharePlaceIndex(),
          env: {
            ...this.env,
            kek: Uint8Array.from(this.env.kek),
            blindKey: Uint8Array.from(this.env.blindKey),
          },
        },
      });
      worker.unref();
      let settle = () => {};
      const started = new Promise<void>((resolve) => {
        settle = resolve;
      });
      const slot: Slot = { worker, ready: false, dead: false, queued: 0, used: false, started };
      worker.on('message', (msg: { ready?: true; id?: number; results?: string; error?: string }) => {
        if (msg.ready) {
          slot.ready = true;
          settle();
          this.pump();
          this.notify();
          return;
        }
        const p = this.pending.get(msg.id!);
        if (!p) return;
        this.pending.delete(msg.id!);
        slot.queued -= p.count;
        if (msg.error !== undefined) p.reject(new Error(`import worker: ${msg.error}`));
        else p.resolve(msg.results!);
        this.pump();
        this.notify();
      });
      // A worker that fails gives its chunks back to the queue: the result never depends on it.
      const fail = () => {
        slot.dead = true;
        settle();
        const back: Chunk[] = [];
        for (const [id, p] of this.pending) {
          if (p.slot !== slot) continue;
          this.pending.delete(id);
          back.push(p);
        }
        this.queue.unshift(...back);
        this.pump();
        this.notify();
      };
      worker.on('error', fail);
      worker.on('exit', () => {
        if (!slot.dead) fail();
      });
      this.slots.push(slot);
    }
  }

  /** Settles once every worker is ready or has failed. */
  async whenStarted(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.started));
  }

  /** Workers that prepared at least one chunk. */
  get usedWorkers(): number {
    return this.slots.filter((s) => s.used).length;
  }

  /** Checks and seals these people; unpack() the parts when they are needed. */
  prepare(groups: readonly PersonGroup[]): Promise<Prepared[]> {
    // Without workers (none started, or all failed) the work is done here and now.
    if (this.slots.every((s) => s.dead)) {
      return Promise.resolve([preparePersons(this.env, groups, placeTable(groups, placeCoordinates))]);
    }
    const parts: Array<Promise<Prepared>> = [];
    for (let i = 0; i < groups.length; i += CHUNK) {
      const part = groups.slice(i, i + CHUNK);
      parts.push(
        new Promise<Prepared>((resolve, reject) => {
          this.queue.push({
            packed: JSON.stringify(part),
            count: part.length,
            // Places are looked up here, in a compact index: no thread needs the gazetteer (~130 MB).
            // Places named here (rare; the gazetteer is on this thread); ids are looked up where
            // the people are prepared, in the place index the workers share.
            places: placeTable(part, placeCoordinates, { ids: false }),
            resolve,
            reject,
          });
        }),
      );
    }
    this.pump();
    return Promise.all(parts);
  }

  /** Prepares the oldest queued chunk on this thread; false when nothing is queued. */
  help(): boolean {
    const c = this.queue.shift();
    if (!c) return false;
    try {
      c.resolve(preparePersons(this.env, JSON.parse(c.packed) as PersonGroup[], c.places, placeCoordinates));
    } catch (err) {
      c.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return true;
  }

  /** Gives queued chunks to the ready workers, least loaded first, up to AHEAD people each. */
  private pump(): void {
    while (this.queue.length > 0) {
      let best: Slot | undefined;
      for (const s of this.slots) {
        if (s.ready && !s.dead && s.queued < AHEAD && (!best || s.queued < best.queued)) best = s;
      }
      if (!best) break;
      const c = this.queue.shift()!;
      const id = this.nextId++;
      best.queued += c.count;
      best.used = true;
      this.pending.set(id, { ...c, slot: best });
      best.worker.postMessage({ id, packed: c.packed, places: c.places });
    }
    // Every worker gone: what is left is done by help(), which the importer calls while it waits.
  }

  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    for (const s of slots) s.dead = true;
    await Promise.all(slots.map((s) => s.worker.terminate()));
    for (const c of this.queue.splice(0)) c.reject(new Error('the import ended'));
  }
}
