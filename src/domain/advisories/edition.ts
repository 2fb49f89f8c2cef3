import { WardenError } from '../errors.ts';
import type { AreaGeometry, Geography } from '../geo/index.ts';
import { checkEditionPositions, validateZoneGeometry } from './geometry.ts';
import { type Indicator, type Level, parseIndicators, parseLevel } from './levels.ts';

export type EditionStatus = 'draft' | 'published' | 'archived';

/** A part of the country with its own level: first-level regions and/or a drawn outline. */
export interface Zone {
  readonly name: string;
  readonly level: Level;
  readonly indicators: readonly Indicator[];
  /** ISO 3166-2 codes of first-level regions of the edition's country. */
  readonly regions: readonly string[];
  readonly geometry: AreaGeometry | null;
  /** Markdown. */
  readonly text: string;
}

/** What staff write; everything else about an edition is bookkeeping. */
export interface EditionContent {
  readonly level: Level;
  readonly indicators: readonly Indicator[];
  readonly summary: string;
  /** Markdown. */
  readonly body: string;
  readonly zones: readonly Zone[];
  readonly changeNote: string | null;
  /** A minor update (typo, link) needs no change note and notifies nobody. */
  readonly minor: boolean;
  /** Drafts: an override of the default review date; published: the date fixed at publication. */
  readonly nextReviewDue: string | null;
}

export interface Edition extends EditionContent {
  readonly id: string;
  readonly country: string;
  /** 1, 2, 3... per country, given at publication; null while a draft. */
  readonly number: number | null;
  readonly status: EditionStatus;
  /** The edition that was current when the draft was started (to spot stale drafts). */
  readonly baseEditionId: string | null;
  readonly createdAt: string;
  readonly createdBy: string | null;
  readonly updatedAt: string;
  readonly updatedBy: string | null;
  readonly publishedAt: string | null;
  readonly publishedBy: string | null;
  readonly archivedAt: string | null;
}

export interface ZoneInput {
  readonly name: string;
  readonly level: number;
  readonly indicators?: readonly string[];
  readonly regions?: readonly string[];
  readonly geometry?: unknown;
  readonly text?: string;
}

export interface EditionInput {
  readonly level: number;
  readonly indicators?: readonly string[];
  readonly summary: string;
  readonly body?: string;
  readonly zones?: readonly ZoneInput[];
  readonly changeNote?: string | null;
  readonly minor?: boolean;
  readonly nextReviewDue?: string | null;
}

export const MAX_ZONES = 50;

const invalid = (field: string, message: string, extra: Record<string, unknown> = {}): WardenError =>
  new WardenError('validation_failed', message, { field, ...extra });

function validateZone(z: ZoneInput, i: number, country: string, geo: Geography): Zone {
  const at = `zones[${i}]`;
  const name = z.name.trim();
  if (!name) throw invalid(`${at}.name`, 'Every zone needs a name.');
  const level = parseLevel(z.level, `${at}.level`);
  const indicators = parseIndicators(z.indicators ?? [], `${at}.indicators`);
  const regions: string[] = [];
  const unknown: string[] = [];
  for (const raw of z.regions ?? []) {
    const r = geo.region(raw);
    if (!r || r.country !== country) unknown.push(raw);
    else if (!regions.includes(r.code)) regions.push(r.code);
  }
  if (unknown.length > 0) {
    throw new WardenError(
      'unknown_region',
      `Not a first-level region of ${country}: ${unknown.join(', ')}.`,
      {
        field: `${at}.regions`,
        invalid: unknown,
      },
    );
  }
  const geometry =
    z.geometry === undefined || z.geometry === null
      ? null
      : validateZoneGeometry(z.geometry, `${at}.geometry`, geo.countryGeometry(country));
  if (regions.length === 0 && !geometry) throw invalid(at, 'A zone covers regions, a drawn area, or both.');
  return { name, level, indicators, regions, geometry, text: (z.text ?? '').trim() };
}

/**
 * Checks and normalises what staff wrote. Each problem has its own code and names the field, so
 * the console can point at it: level -> validation_failed, indicators -> unknown_indicator,
 * regions -> unknown_region, drawn zones -> invalid_geometry.
 */
export function validateEditionContent(
  country: string,
  input: EditionInput,
  now: Date,
  geo: Geography,
): EditionContent {
  const level = parseLevel(input.level, 'level');
  const indicators = parseIndicators(input.indicators ?? [], 'indicators');
  const summary = input.summary.trim();
  if (!summary) throw invalid('summary', 'The summary is required.');
  const zonesIn = input.zones ?? [];
  if (zonesIn.length > MAX_ZONES) throw invalid('zones', `At most ${MAX_ZONES} zones.`);
  checkEditionPositions(
    zonesIn.map((z) => z.geometry),
    'zones',
  );
  const zones = zonesIn.map((z, i) => validateZone(z, i, country, geo));
  const seen = new Set<string>();
  zones.forEach((z, i) => {
    const key = z.name.toLowerCase();
    if (seen.has(key)) throw invalid(`zones[${i}].name`, `Two zones are named "${z.name}".`);
    seen.add(key);
  });
  const minor = input.minor ?? false;
  const changeNote = input.changeNote?.trim() || null;
  if (!minor && !changeNote) {
    throw invalid('changeNote', 'Say what changed in a change note, or mark the edition as a minor update.');
  }
  let nextReviewDue: string | null = null;
  if (input.nextReviewDue) {
    const t = Date.parse(input.nextReviewDue);
    if (Number.isNaN(t)) throw invalid('nextReviewDue', 'The next review date is not a date.');
    if (t <= now.getTime()) throw invalid('nextReviewDue', 'The next review date must be in the future.');
    nextReviewDue = new Date(t).toISOString();
  }
  return { level, indicators, summary, body: input.body ?? '', zones, changeNote, minor, nextReviewDue };
}

/** The content of an edition as input again: a PATCH merges onto this and re-validates the whole. */
export const contentAsInput = (c: EditionContent): EditionInput => ({
  level: c.level,
  indicators: c.indicators,
  summary: c.summary,
  body: c.body,
  zones: c.zones.map((z) => ({ ...z, geometry: z.geometry ?? undefined })),
  changeNote: c.changeNote,
  minor: c.minor,
  nextReviewDue: c.nextReviewDue,
});
