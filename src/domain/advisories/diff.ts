import { diffLines } from 'diff';
import type { Edition, Zone } from './edition.ts';
import type { Indicator, Level } from './levels.ts';

export interface SetChange<T> {
  readonly added: readonly T[];
  readonly removed: readonly T[];
}

export interface LinePart {
  readonly kind: 'added' | 'removed' | 'unchanged';
  readonly text: string;
  /** How many lines this part spans. */
  readonly lines: number;
}

export interface ZoneChange {
  readonly name: string;
  /** Which of the zone's fields differ. */
  readonly fields: readonly ('level' | 'indicators' | 'regions' | 'geometry' | 'text')[];
  readonly level: { readonly from: Level; readonly to: Level } | null;
  readonly indicators: SetChange<Indicator>;
  readonly regions: SetChange<string>;
  readonly text: readonly LinePart[] | null;
}

export interface EditionDiff {
  /** Names of the top-level fields that differ, for a quick "what changed" line. */
  readonly changed: readonly string[];
  readonly level: { readonly from: Level; readonly to: Level } | null;
  readonly indicators: SetChange<Indicator>;
  readonly zones: {
    readonly added: readonly string[];
    readonly removed: readonly string[];
    readonly changed: readonly ZoneChange[];
  };
  readonly summary: readonly LinePart[] | null;
  readonly body: readonly LinePart[] | null;
}

const setChange = <T>(from: readonly T[], to: readonly T[]): SetChange<T> => ({
  added: to.filter((x) => !from.includes(x)),
  removed: from.filter((x) => !to.includes(x)),
});

const isEmpty = (c: SetChange<unknown>) => c.added.length === 0 && c.removed.length === 0;

/** A line diff, or null when the texts are equal. */
export function lineDiff(from: string, to: string): LinePart[] | null {
  if (from === to) return null;
  const withEol = (s: string) => (s === '' || s.endsWith('\n') ? s : `${s}\n`);
  return diffLines(withEol(from), withEol(to)).map((c) => ({
    kind: c.added ? 'added' : c.removed ? 'removed' : 'unchanged',
    text: c.value,
    lines: c.count,
  }));
}

function zoneChange(a: Zone, b: Zone): ZoneChange | null {
  const indicators = setChange(a.indicators, b.indicators);
  const regions = setChange(a.regions, b.regions);
  const text = lineDiff(a.text, b.text);
  const geometryChanged = JSON.stringify(a.geometry) !== JSON.stringify(b.geometry);
  const fields: ZoneChange['fields'][number][] = [];
  if (a.level !== b.level) fields.push('level');
  if (!isEmpty(indicators)) fields.push('indicators');
  if (!isEmpty(regions)) fields.push('regions');
  if (geometryChanged) fields.push('geometry');
  if (text) fields.push('text');
  if (fields.length === 0) return null;
  return {
    name: b.name,
    fields,
    level: a.level !== b.level ? { from: a.level, to: b.level } : null,
    indicators,
    regions,
    text,
  };
}

/** What changed from one edition to another; zones are matched by name (case-insensitive). */
export function diffEditions(from: Edition, to: Edition): EditionDiff {
  const key = (z: Zone) => z.name.toLowerCase();
  const before = new Map(from.zones.map((z) => [key(z), z]));
  const after = new Map(to.zones.map((z) => [key(z), z]));
  const zones = {
    added: to.zones.filter((z) => !before.has(key(z))).map((z) => z.name),
    removed: from.zones.filter((z) => !after.has(key(z))).map((z) => z.name),
    changed: to.zones.flatMap((z) => {
      const old = before.get(key(z));
      const c = old && zoneChange(old, z);
      return c ? [c] : [];
    }),
  };
  const indicators = setChange(from.indicators, to.indicators);
  const summary = lineDiff(from.summary, to.summary);
  const body = lineDiff(from.body, to.body);
  const changed: string[] = [];
  if (from.level !== to.level) changed.push('level');
  if (!isEmpty(indicators)) changed.push('indicators');
  if (zones.added.length || zones.removed.length || zones.changed.length) changed.push('zones');
  if (summary) changed.push('summary');
  if (body) changed.push('body');
  return {
    changed,
    level: from.level !== to.level ? { from: from.level, to: to.level } : null,
    indicators,
    zones,
    summary,
    body,
  };
}
