import { parentPort } from 'node:worker_threads';
import { WardenError } from '../../domain/errors.ts';
import { loadGeography } from '../../domain/geo/index.ts';
import { type PrepareOptions, RowPreparer } from './rows.ts';

/*
 * Worker thread of a large ACLED import: reads, maps and checks the rows (RowPreparer) while the
 * main thread writes the previous batch. Messages in: {init}, then file chunks, then {end}.
 * Messages out: {ack, rows} per chunk, {batch} per full batch, {done} or {error}.
 */
export type ToWorker =
  | { readonly kind: 'init'; readonly options: PrepareOptions }
  | { readonly kind: 'chunk'; readonly data: Uint8Array | string }
  | { readonly kind: 'end' };

export type FromWorker =
  | { readonly kind: 'ready' }
  | { readonly kind: 'ack'; readonly rows: number }
  | { readonly kind: 'batch'; readonly batch: import('./rows.ts').PreparedBatch }
  | { readonly kind: 'done' }
  | {
      readonly kind: 'error';
      readonly message: string;
      readonly code?: string;
      readonly details?: unknown;
    };

const port = parentPort!;
let preparer: RowPreparer | null = null;
const send = (m: FromWorker) => port.postMessage(m);

port.on('message', (msg: ToWorker) => {
  try {
    switch (msg.kind) {
      case 'init':
        preparer = new RowPreparer(msg.options);
        return;
      case 'chunk':
        for (const batch of preparer!.push(msg.data)) send({ kind: 'batch', batch });
        send({ kind: 'ack', rows: preparer!.rowsSoFar });
        return;
      case 'end':
        for (const batch of preparer!.end()) send({ kind: 'batch', batch });
        send({ kind: 'done' });
        return;
      default: {
        const never: never = msg;
        throw new Error(`unexpected message ${JSON.stringify(never)}`);
      }
    }
  } catch (err) {
    preparer = null;
    send(
      err instanceof WardenError
        ? { kind: 'error', message: err.message, code: err.code, details: err.details }
        : { kind: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) },
    );
  }
});
// Loaded before saying ready, so the first chunk does not wait for it.
loadGeography();
send({ kind: 'ready' });
