import type { Edition } from './edition.ts';
import { INDICATORS, LEVEL_COLORS, LEVEL_LABELS } from './levels.ts';
import { renderMarkdown } from './markdown.ts';
import type { CurrentAdvisory } from './review.ts';

/** What the public sees; staff names, drafts and review notes never appear here. */
export interface PublicNames {
  country(code: string): string;
  region(code: string): string;
}

export const legend = () => ({
  levels: ([1, 2, 3, 4] as const).map((level) => ({
    level,
    label: LEVEL_LABELS[level],
    color: LEVEL_COLORS[level],
  })),
  indicators: Object.entries(INDICATORS).map(([code, label]) => ({ code, label })),
});

function zoneSummary(e: Edition) {
  return e.zones.map((z) => ({
    name: z.name,
    level: z.level,
    levelLabel: LEVEL_LABELS[z.level],
    indicators: [...z.indicators],
    regions: [...z.regions],
    drawnArea: z.geometry !== null,
  }));
}

export function publicListItem(a: CurrentAdvisory, names: PublicNames) {
  const e = a.edition;
  return {
    country: e.country,
    name: names.country(e.country),
    level: e.level,
    levelLabel: LEVEL_LABELS[e.level],
    indicators: [...e.indicators],
    summary: e.summary,
    edition: e.number,
    updatedAt: e.publishedAt,
    reviewedAt: a.reviewedAt,
    zones: zoneSummary(e),
  };
}

export function publicHistoryItem(e: Edition) {
  return {
    id: e.id,
    edition: e.number,
    status: e.status,
    level: e.level,
    levelLabel: LEVEL_LABELS[e.level],
    indicators: [...e.indicators],
    summary: e.summary,
    changeNote: e.changeNote,
    minor: e.minor,
    publishedAt: e.publishedAt,
    archivedAt: e.archivedAt,
  };
}

export function publicDetail(a: CurrentAdvisory, history: readonly Edition[], names: PublicNames) {
  const e = a.edition;
  return {
    advisory: {
      ...publicListItem(a, names),
      id: e.id,
      body: e.body,
      bodyHtml: renderMarkdown(e.body),
      changeNote: e.changeNote,
      minor: e.minor,
      nextReviewDue: a.nextReviewDue,
      zones: e.zones.map((z) => ({
        name: z.name,
        level: z.level,
        levelLabel: LEVEL_LABELS[z.level],
        indicators: [...z.indicators],
        regions: z.regions.map((code) => ({ code, name: names.region(code) })),
        drawnArea: z.geometry !== null,
        text: z.text,
        textHtml: renderMarkdown(z.text),
      })),
    },
    history: history.map(publicHistoryItem),
  };
}
