import type { SmsStatusUpdate } from '../../channels/twilio-signature.ts';
import type { Context } from '../../context.ts';
import { iso } from '../../domain/clock.ts';
import { orderedId } from '../../domain/ids.ts';
import { applyReceipt } from '../../store/deliveries/deliveries.ts';

/**
 * An SMS provider's status callback (already signature-checked): `delivered` or `failed` moves
 * the delivery with that provider id there; other states are only recorded in its history.
 * Returns false when no delivery has that provider id (nothing changes).
 */
export async function applySmsStatus(ctx: Context, u: SmsStatusUpdate): Promise<boolean> {
  const now = ctx.clock.now();
  const at = iso(now);
  const final = u.state === 'delivered' || u.state === 'failed' ? u.state : null;
  const reason =
    u.state === 'failed'
      ? `provider: ${u.providerStatus}${u.errorCode !== null ? ` (${u.errorCode})` : ''}`
      : null;
  return ctx.store.db.transaction().execute(async (trx) => {
    const id = await applyReceipt(
      trx,
      u.providerId,
      final,
      at,
      {
        id: orderedId(now.getTime()),
        at,
        outcome: 'receipt',
        status: u.errorCode,
        answer: u.providerStatus,
        reason,
        worker: null,
        duration_ms: null,
      },
      reason,
    );
    return id !== null;
  });
}
