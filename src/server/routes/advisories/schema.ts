import { Type } from 'typebox';
import type { Edition } from '../../../domain/advisories/edition.ts';
import { LEVEL_LABELS, type Level as LevelNumber } from '../../../domain/advisories/levels.ts';
import { type CurrentAdvisory, isOverdue } from '../../../domain/advisories/review.ts';
import { countryName } from '../../../services/advisories/editions.ts';
import { domainTyped, IsoTime, Nullable } from '../../schemas.ts';

/** Request and response schemas of the staff advisory routes, and the presenters that fill them. */

// ---- request bodies ----
export const Level = Type.Integer({
  minimum: 1,
  maximum: 4,
  description: '1 Exercise normal precautions ... 4 Do not travel',
});
export const Indicators = Type.Array(Type.String({ minLength: 1, maxLength: 8 }), {
  maxItems: 20,
  description: 'Risk indicators: C T U H N E K D O',
});
export const Geometry = Type.Object(
  { type: Type.String({ maxLength: 32 }), coordinates: Type.Array(Type.Unknown()) },
  { description: 'GeoJSON Polygon or MultiPolygon (longitude, latitude)' },
);
export const ZoneIn = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    level: Level,
    indicators: Type.Optional(Indicators),
    regions: Type.Optional(
      Type.Array(Type.String({ maxLength: 16 }), { maxItems: 200, description: 'ISO 3166-2 codes' }),
    ),
    geometry: Type.Optional(Type.Union([Geometry, Type.Null()])),
    text: Type.Optional(Type.String({ maxLength: 20_000, description: 'Markdown' })),
  },
  { additionalProperties: false },
);
export const contentFields = {
  level: Level,
  indicators: Type.Optional(Indicators),
  summary: Type.String({ minLength: 1, maxLength: 2000 }),
  body: Type.Optional(Type.String({ maxLength: 100_000, description: 'Markdown' })),
  zones: Type.Optional(Type.Array(ZoneIn, { maxItems: 50 })),
  changeNote: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  minor: Type.Optional(Type.Boolean()),
  nextReviewDue: Type.Optional(Type.Union([IsoTime, Type.Null()])),
};
export const EditionIn = Type.Object(contentFields, { additionalProperties: false });
export const EditionPatch = Type.Object(
  {
    ...contentFields,
    level: Type.Optional(Level),
    summary: Type.Optional(contentFields.summary),
  },
  { additionalProperties: false, minProperties: 1 },
);

// ---- responses ----
export const Str = Type.String();
const LevelOut = domainTyped<LevelNumber>(Type.Integer());
export const ZoneOut = Type.Object({
  name: Str,
  level: LevelOut,
  levelLabel: Str,
  indicators: Type.Array(Str),
  regions: Type.Array(Str),
  geometry: Nullable(Type.Object({ type: Str, coordinates: Type.Array(Type.Unknown()) })),
  text: Str, // Markdown
});
export const summaryFields = {
  id: Str,
  country: Str,
  countryName: Str,
  // 1, 2, 3... per country, given at publication; null while a draft.
  number: Nullable(Type.Integer()),
  status: Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('archived')]),
  level: LevelOut,
  levelLabel: Str,
  indicators: Type.Array(Str),
  summary: Str,
  changeNote: Nullable(Str),
  minor: Type.Boolean(),
  zoneCount: Type.Integer(),
  nextReviewDue: Nullable(Str),
  createdAt: Str,
  updatedAt: Str,
  publishedAt: Nullable(Str),
  archivedAt: Nullable(Str),
};
export const EditionSummaryOut = Type.Object(summaryFields);
export const EditionOut = Type.Object({
  ...summaryFields,
  body: Str,
  zones: Type.Array(ZoneOut),
  baseEditionId: Nullable(Str),
  createdBy: Nullable(Str),
  updatedBy: Nullable(Str),
  publishedBy: Nullable(Str),
});
export const ReviewOut = Type.Object({
  id: Str,
  country: Str,
  editionId: Str,
  note: Str,
  reviewedAt: Str,
  reviewedBy: Nullable(Str),
  nextReviewDue: Str,
});
export const reviewState = {
  reviewedAt: Str,
  nextReviewDue: Str,
  overdue: Type.Boolean(),
  lastReview: Nullable(ReviewOut),
};
export const CurrentSummaryOut = Type.Object({ edition: EditionSummaryOut, ...reviewState });
export const CurrentOut = Type.Object({ edition: EditionOut, ...reviewState });
export const SetChange = Type.Object({ added: Type.Array(Str), removed: Type.Array(Str) });
export const LevelChange = Nullable(Type.Object({ from: Type.Integer(), to: Type.Integer() }));
export const Lines = Nullable(
  Type.Array(
    Type.Object({
      kind: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('unchanged')]),
      text: Str,
      lines: Type.Integer(),
    }),
  ),
);
export const DiffOut = Type.Object({
  changed: Type.Array(Str),
  level: LevelChange,
  indicators: SetChange,
  zones: Type.Object({
    added: Type.Array(Str),
    removed: Type.Array(Str),
    changed: Type.Array(
      Type.Object({
        name: Str,
        fields: Type.Array(Str),
        level: LevelChange,
        indicators: SetChange,
        regions: SetChange,
        text: Lines,
      }),
    ),
  }),
  summary: Lines,
  body: Lines,
});
export const OverdueOut = Type.Object({
  country: Str,
  countryName: Str,
  editionId: Str,
  number: Nullable(Type.Integer()),
  level: LevelOut,
  levelLabel: Str,
  reviewedAt: Str,
  nextReviewDue: Str,
  daysOverdue: Type.Integer(),
});

export const AdvisoryListItemOut = Type.Object({
  country: Str,
  countryName: Str,
  current: Nullable(CurrentSummaryOut),
  drafts: Type.Array(EditionSummaryOut),
});
export const AdvisoryDetailOut = Type.Object({
  country: Str,
  countryName: Str,
  current: Nullable(CurrentOut),
  drafts: Type.Array(EditionOut),
  history: Type.Array(EditionSummaryOut),
  reviews: Type.Array(ReviewOut),
});
export const ReviewBody = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 2000 }), nextReviewDue: Type.Optional(IsoTime) },
  { additionalProperties: false },
);
export const ReviewResultOut = Type.Object({
  review: ReviewOut,
  advisory: Type.Object({ editionId: Str, reviewedAt: Str, nextReviewDue: Str }),
  resolvedTasks: Type.Integer(),
});
export const PublishResultOut = Type.Object({
  edition: EditionOut,
  archived: Nullable(EditionSummaryOut),
  resolvedTasks: Type.Integer(),
});

// ---- presenters ----
export const presentEditionSummary = (e: Edition) => ({
  id: e.id,
  country: e.country,
  countryName: countryName(e.country),
  number: e.number,
  status: e.status,
  level: e.level,
  levelLabel: LEVEL_LABELS[e.level],
  indicators: [...e.indicators],
  summary: e.summary,
  changeNote: e.changeNote,
  minor: e.minor,
  zoneCount: e.zones.length,
  nextReviewDue: e.nextReviewDue,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
  publishedAt: e.publishedAt,
  archivedAt: e.archivedAt,
});

export const presentEdition = (e: Edition) => ({
  ...presentEditionSummary(e),
  body: e.body,
  zones: e.zones.map((z) => ({
    ...z,
    levelLabel: LEVEL_LABELS[z.level],
    indicators: [...z.indicators],
    regions: [...z.regions],
  })),
  baseEditionId: e.baseEditionId,
  createdBy: e.createdBy,
  updatedBy: e.updatedBy,
  publishedBy: e.publishedBy,
});

export const reviewStateOf = (a: CurrentAdvisory, now: Date) => ({
  reviewedAt: a.reviewedAt,
  nextReviewDue: a.nextReviewDue,
  overdue: isOverdue(a, now),
  lastReview: a.lastReview,
});
