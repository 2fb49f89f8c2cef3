import { Type } from 'typebox';
import { LISTED_BUCKETS } from '../../../domain/checkins/accountability.ts';
import { ANSWER_CHANNELS, ANSWERS } from '../../../domain/checkins/types.ts';
import { MESSAGE_LANGUAGES } from '../../../domain/messages/languages.ts';
import { Email, IsoTime, literals, Nullable } from '../../schemas.ts';

const strict = { additionalProperties: false } as const;

export const Point = Type.Object(
  { lat: Type.Number({ minimum: -90, maximum: 90 }), lon: Type.Number({ minimum: -180, maximum: 180 }) },
  strict,
);
const Note = Type.String({ maxLength: 1000 });
const Token = Type.String({ minLength: 1, maxLength: 4096 });

export const AnswerBody = Type.Object(
  {
    token: Token,
    answer: literals(ANSWERS),
    note: Type.Optional(Nullable(Note)),
    location: Type.Optional(Nullable(Point)),
  },
  strict,
);
export const CallbackBody = Type.Object(
  {
    answer: literals(ANSWERS),
    note: Type.Optional(Nullable(Note)),
    location: Type.Optional(Nullable(Point)),
  },
  strict,
);
export const TokenBody = Type.Object({ token: Token }, strict);

export const AnswerOut = Type.Object({
  answer: literals(ANSWERS),
  at: IsoTime,
  late: Type.Boolean(),
  alertCancelled: Type.Boolean(),
  replay: Type.Boolean(),
});

export const AnswerPageOut = Type.Object({
  language: literals(MESSAGE_LANGUAGES),
  title: Type.String(),
  deadline: Nullable(IsoTime),
  cancelled: Type.Boolean(),
  answer: Nullable(literals(ANSWERS)),
});

const count = Type.Integer({ minimum: 0 });
export const RollupOut = Type.Object({
  targeted: count,
  reached: count,
  need_help: count,
  safe: count,
  no_answer: count,
  unreachable: count,
  pending: count,
  erased: count,
});

export const AccountabilityOut = Type.Object({
  alertId: Type.String(),
  checkIn: Type.Object({ requested: Type.Boolean(), deadline: Nullable(IsoTime) }),
  rollup: RollupOut,
  timeline: Type.Array(Type.Object({ hour: Type.String(), answer: Type.String(), n: count })),
});

export const PeopleQuery = Type.Object(
  {
    bucket: Type.Optional(literals(LISTED_BUCKETS)),
    sort: Type.Optional(literals(['name', 'answeredAt', 'bucket'] as const)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
  },
  strict,
);

const personFields = {
  personId: Type.String(),
  name: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  answer: Nullable(literals(ANSWERS)),
  answeredAt: Nullable(IsoTime),
  channel: Nullable(literals(ANSWER_CHANNELS)),
  note: Nullable(Type.String()),
  location: Nullable(Point),
  late: Type.Boolean(),
};
/** A person behind a need-help case. */
export const CasePersonOut = Type.Object(personFields);
/** A person behind an accountability number, with their bucket. */
export const PersonOut = Type.Object({
  ...personFields,
  bucket: literals(LISTED_BUCKETS),
  reached: Type.Boolean(),
});

export const CaseOut = Type.Object({
  id: Type.String(),
  alertId: Type.String(),
  postId: Type.String(),
  openedAt: IsoTime,
  handledAt: Nullable(IsoTime),
  handledBy: Nullable(Type.String()),
  handledNote: Nullable(Type.String()),
  person: Nullable(CasePersonOut),
});

export const HandleBody = Type.Object(
  { note: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))) },
  strict,
);

export const SettingsBody = Type.Object(
  {
    dutyEmail: Nullable(Email),
    escalation: Type.Object(
      {
        repeatAfterMinutes: Type.Array(Type.Integer(), { maxItems: 10 }),
        notifyEmergencyContact: Type.Boolean(),
      },
      strict,
    ),
  },
  strict,
);
