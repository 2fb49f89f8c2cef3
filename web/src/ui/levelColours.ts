import { LEVEL_COLORS, LEVEL_TEXT_COLORS, LEVELS } from '../../../src/domain/advisories/levels.ts';

/**
 * The advisory level colours as CSS custom properties (--level-1 … --level-4 and --level-N-text),
 * set on the document from the domain's table, so a stylesheet that needs a level colour uses the
 * same one as the map layers, the badges and the public GeoJSON feed instead of a copy of it.
 */
export function levelColourProperties(): Record<string, string> {
  return Object.fromEntries(
    LEVELS.flatMap((l) => [
      [`--level-${l}`, LEVEL_COLORS[l]],
      [`--level-${l}-text`, LEVEL_TEXT_COLORS[l]],
    ]),
  );
}

export function applyLevelColours(root: HTMLElement = document.documentElement): void {
  for (const [name, value] of Object.entries(levelColourProperties())) root.style.setProperty(name, value);
}
