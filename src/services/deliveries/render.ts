import type { OutboundMessage } from '../../channels/types.ts';
import type { Context } from '../../context.ts';
import type { DeliveryRow } from '../../store/deliveries/deliveries.ts';

/** A delivery made ready to send: everything but its id (the delivery's id is the idempotency key). */
export type RenderedDelivery = Omit<OutboundMessage, 'id'>;

/**
 * Turns a delivery row into its message at send time: resolves (decrypts) the recipient, renders
 * the text in their language, signs any link now. Answers `{ drop: reason }` when the message
 * must not leave (person erased, unsubscribed, contact no longer verified, alert cancelled...):
 * the delivery becomes `dropped` with that reason. A renderer that throws counts as a transient
 * failure.
 */
export type Renderer = (ctx: Context, row: DeliveryRow) => Promise<RenderedDelivery | { drop: string }>;
