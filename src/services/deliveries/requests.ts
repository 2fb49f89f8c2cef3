import type { Context } from '../../context.ts';
import { PRIORITY } from '../../domain/deliveries/model.ts';
import type { Db } from '../../store/db.ts';
import { clearParams } from '../../store/deliveries/deliveries.ts';
import { enqueueDeliveries } from './enqueue.ts';

/*
 * Lookup requests: a public request whose answer must not depend on whether the address is known
 * (manage links) queues the same single row either way, holding the address's blind index; the
 * worker expands it after the answer (its renderer looks the address up, queues the real
 * messages and answers `{ drop: EXPANDED }`).
 */

/** The reason an expanded request ends `dropped`: it was never meant to leave itself. */
export const EXPANDED = 'request expanded';

export async function queueLookupRequest(
  ctx: Context,
  template: string,
  index: string,
  requestId: string | null,
): Promise<void> {
  await ctx.store.db.transaction().execute((trx) =>
    enqueueDeliveries(ctx, trx, [
      {
        template,
        channel: 'internal',
        to: { lookup: true },
        priority: PRIORITY.interactive,
        params: { index, rid: requestId },
      },
    ]),
  );
}

/** Forgets the blind index a request held once it is expanded. */
export const clearRequestParams = (db: Db, id: string): Promise<void> => clearParams(db, id);
