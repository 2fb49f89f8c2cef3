import { Type } from 'typebox';
import { DELIVERY_CHANNELS, DELIVERY_STATES } from '../../../domain/deliveries/model.ts';
import { literals, Nullable } from '../../schemas.ts';

/** A message reference: `notice:<id>`, `alert:<id>`, `digest:<day>`, ... */
export const MessageRef = Type.String({
  minLength: 3,
  maxLength: 100,
  pattern: '^[a-z_]+:[A-Za-z0-9_.:-]+$',
});
export const DeliveryId = Type.String({ pattern: '^msg_[0-9a-f]{32}$' });

export const DeliveryQuery = Type.Object(
  {
    message: Type.Optional(MessageRef),
    state: Type.Optional(literals(DELIVERY_STATES)),
    channel: Type.Optional(literals(DELIVERY_CHANNELS)),
    after: Type.Optional(DeliveryId),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);

export const ProgressQuery = Type.Object({ message: MessageRef }, { additionalProperties: false });

export const DeliveryOut = Type.Object({
  id: Type.String(),
  message: Nullable(Type.String()),
  template: Type.String(),
  channel: Type.String(),
  state: Type.String(),
  priority: Type.Integer(),
  attempts: Type.Integer(),
  possibleDuplicate: Type.Boolean(),
  lastError: Nullable(Type.String()),
  providerId: Nullable(Type.String()),
  recipient: Type.Object({
    personId: Nullable(Type.String()),
    contactId: Nullable(Type.String()),
    subscriptionId: Nullable(Type.String()),
    organisationId: Nullable(Type.String()),
  }),
  createdAt: Type.String(),
  nextAttemptAt: Nullable(Type.String()),
  sentAt: Nullable(Type.String()),
  finishedAt: Nullable(Type.String()),
});

export const AttemptOut = Type.Object({
  attempt: Type.Integer(),
  at: Type.String(),
  outcome: Type.String(),
  status: Nullable(Type.Integer()),
  answer: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  worker: Nullable(Type.String()),
  durationMs: Nullable(Type.Integer()),
});

export const DeliveryDetailOut = Type.Object({ delivery: DeliveryOut, attempts: Type.Array(AttemptOut) });

const Counts = Type.Record(Type.String(), Type.Integer());

export const ProgressOut = Type.Object({
  message: Type.String(),
  total: Type.Integer(),
  states: Counts,
  channels: Type.Array(Type.Object({ channel: Type.String(), states: Counts })),
  ratePerSecond: Type.Number(),
  etaSeconds: Nullable(Type.Integer()),
  startedAt: Nullable(Type.String()),
});

export const DropBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);
