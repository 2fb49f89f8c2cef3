import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SITE_CSS } from '../../../site/styles.ts';

/** The site's stylesheet, versioned by content so pages can link it for a year. */
export const siteCss = {
  body: SITE_CSS,
  href: `/site.css?v=${createHash('sha1').update(SITE_CSS).digest('base64url').slice(0, 10)}`,
};

/**
 * The progressive-enhancement script (web/src/site/main.ts: the map, "use my location"), found
 * in Vite's manifest of the built console. Without a build the pages work as they are, without it.
 */
export function siteScript(webDir: string): string | null {
  try {
    const manifest = JSON.parse(readFileSync(path.join(webDir, '.vite', 'manifest.json'), 'utf8')) as Record<
      string,
      { file: string; isEntry?: boolean; name?: string }
    >;
    const entry = Object.values(manifest).find((m) => m.isEntry && m.name === 'site');
    return entry ? `/${entry.file}` : null;
  } catch {
    return null;
  }
}
