import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  type PersonEnv,
  type PersonGroup,
  type PreparedPerson,
  placeTable,
  preparePersons,
} from './enrollment-import-person.ts';
import { placeCoordinates } from './enrollment-import-places.ts';

interface Slot {
  readonly worker: Worker;
  ready: boolean;
  dead: boolean;
  busy: number;
  used: boolean;
  /** Settles when the worker is ready or dead. */
  readonly started: Promise<void>;
}

/** Batches queued on the least busy worker from which the calling thread prepares the next one. */
const INLINE_WHEN_BEHIND = 2;

type Pending = {
  resolve: (r: PreparedPerson[]) => void;
  reject: (e: Error) => void;
  slot: Slot;
  groups: PersonGroup[];
};

/**
 * The sources run through tsx (no build step), so a worker registers tsx's loader before it
 * imports its TypeScript module; null when that loader cannot be found (then work stays inline).
 */
function bootstrap(): string | null {
  try {
    const api = createRequire(import.meta.url).resolve('tsx/esm/api');
    const esm = path.join(path.dirname(api), 'index.mjs');
    if (!existsSync(esm)) return null;
    const target = new URL('./enrollment-import-worker.ts', import.meta.url).href;
    return `import(${JSON.stringify(pathToFileURL(esm).href)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
  } catch {
    return null;
  }
}

/**
 * Checks and seals batches of people on worker threads, least busy first; until a worker is
 * ready (a second or so: each loads the geography), or if every worker has failed, the batch is
 * done inline on the calling thread, so results never depend on the workers.
 */
export class PreparerPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly env: PersonEnv) {}

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
      const slot: Slot = { worker, ready: false, dead: false, busy: 0, used: false, started };
      worker.on(
        'message',
        (msg: { ready?: true; id?: number; results?: PreparedPerson[]; error?: string }) => {
          if (msg.ready) {
            slot.ready = true;
            settle();
            return;
          }
          const p = this.pending.get(msg.id!);
          if (!p) return;
          this.pending.delete(msg.id!);
          slot.busy--;
          if (msg.error !== undefined) p.reject(new Error(`import worker: ${msg.error}`));
          else p.resolve(msg.results!);
        },
      );
      // A worker that fails leaves its batches to this thread: the result never depends on it.
      const fail = () => {
        slot.dead = true;
        settle();
        for (const [id, p] of this.pending) {
          if (p.slot !== slot) continue;
          this.pending.delete(id);
          try {
            p.resolve(preparePersons(this.env, p.groups));
          } catch (err) {
            p.reject(err instanceof Error ? err : new Error(String(err)));
          }
        }
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

  /** Workers that prepared at least one batch. */
  get usedWorkers(): number {
    return this.slots.filter((s) => s.used).length;
  }

  get readyWorkers(): number {
    return this.slots.filter((s) => s.ready && !s.dead).length;
  }

  prepare(groups: PersonGroup[]): Promise<PreparedPerson[]> {
    let best: Slot | undefined;
    for (const s of this.slots) if (s.ready && !s.dead && (!best || s.busy < best.busy)) best = s;
    // Places are looked up here, in a compact index: no thread needs the gazetteer (~130 MB).
    const places = placeTable(groups, placeCoordinates);
    // With every worker a batch behind, this thread takes one itself rather than wait for them:
    // on few cores the workers are the slower half (sealing costs more than reading and writing).
    if (!best || best.busy >= INLINE_WHEN_BEHIND) {
      return Promise.resolve(preparePersons(this.env, groups, places));
    }
    const slot = best;
    const id = this.nextId++;
    slot.busy++;
    slot.used = true;
    return new Promise<PreparedPerson[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, slot, groups });
      slot.worker.postMessage({ id, groups, places });
    });
  }

  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    for (const s of slots) s.dead = true;
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
