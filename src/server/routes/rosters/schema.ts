import { Type } from 'typebox';
import { MESSAGE_LANGUAGES } from '../../../domain/messages/languages.ts';
import { MEMBER_KINDS, MEMBER_STATUSES, STATUS_SOURCES } from '../../../domain/rosters/types.ts';
import { Id, IsoTime, literals, Nullable } from '../../schemas.ts';

const strict = { additionalProperties: false } as const;
const Line = (maxLength: number) => Type.String({ minLength: 1, maxLength });

export const MemberParams = Type.Object({ id: Id, memberId: Id });

export const MemberBody = Type.Object(
  {
    reference: Line(100),
    kind: literals(MEMBER_KINDS),
    name: Line(200),
    role: Line(100),
    essential: Type.Boolean(),
    email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
    household: Type.Optional(Nullable(Line(100))),
    language: Type.Optional(literals(MESSAGE_LANGUAGES)),
  },
  strict,
);

export const StatusBody = Type.Object(
  {
    status: literals(MEMBER_STATUSES),
    location: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  },
  strict,
);

export const MemberOut = Type.Object({
  id: Type.String(),
  reference: Type.String(),
  kind: literals(MEMBER_KINDS),
  name: Type.String(),
  role: Type.String(),
  essential: Type.Boolean(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  household: Nullable(Type.String()),
  /** Family members of this staff member's household (0 for family). */
  dependants: Type.Integer(),
  language: literals(MESSAGE_LANGUAGES),
  status: literals(MEMBER_STATUSES),
  location: Nullable(Type.String()),
  statusAt: IsoTime,
  statusSource: literals(STATUS_SOURCES),
  /** Accounted for on the open board (false also when no board is open). */
  accounted: Type.Boolean(),
});

export const HeadcountsOut = Type.Object({
  total: Type.Integer(),
  departed: Type.Integer(),
  relocated: Type.Integer(),
  remaining: Type.Integer(),
  unaccounted: Type.Integer(),
  essentialRemaining: Type.Integer(),
});

export const BoardOut = Type.Object({
  id: Type.String(),
  state: Type.String(),
  openedAt: IsoTime,
  closedAt: Nullable(IsoTime),
  finalCounts: Nullable(HeadcountsOut),
});

export const EventOut = Type.Object({
  id: Type.String(),
  memberId: Type.String(),
  status: literals(MEMBER_STATUSES),
  location: Nullable(Type.String()),
  source: literals(STATUS_SOURCES),
  at: IsoTime,
  by: Type.String(),
});

export const DrawdownOut = Type.Object({
  board: Nullable(BoardOut),
  counts: Nullable(HeadcountsOut),
  events: Type.Array(EventOut),
  history: Type.Array(BoardOut),
});

export const ImportReportOut = Type.Object({
  rows: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
});

export const TokenBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 4096 }) }, strict);
export const CheckinBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 4096 }),
    status: literals(['departed', 'relocated', 'remaining'] as const),
    location: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  },
  strict,
);
export const CheckinViewOut = Type.Object({
  postName: Type.String(),
  status: literals(MEMBER_STATUSES),
  location: Nullable(Type.String()),
});
