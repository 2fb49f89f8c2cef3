import { Type } from 'typebox';

/** Response schemas of the audit routes, shared with the console's audit page. */

export const Entry = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actor: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  summary: Type.Record(Type.String(), Type.Unknown()),
  requestId: Type.Union([Type.String(), Type.Null()]),
  prevHash: Type.String(),
  hash: Type.String(),
  alg: Type.String({
    description: "'hmac-sha256' (keyed), or 'sha256' for entries before the chain was keyed",
  }),
});

export const CheckpointOut = Type.Object({
  format: Type.String(),
  seq: Type.Integer(),
  hash: Type.String(),
  at: Type.String(),
  signature: Type.String(),
});

export const VerifyOut = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer(),
  head: Type.Union([Type.Object({ seq: Type.Integer(), hash: Type.String() }), Type.Null()]),
  firstBreak: Type.Union([
    Type.Object({
      seq: Type.Integer(),
      reason: Type.String(),
      expectedSeq: Type.Optional(Type.Integer()),
    }),
    Type.Null(),
  ]),
  latestCheckpoint: Type.Union([CheckpointOut, Type.Null()], {
    description: 'The newest checkpoint written under the data directory, if any',
  }),
});
