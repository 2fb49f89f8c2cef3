import { escapeHtml } from './html.ts';
import { SITE_LANGUAGES } from './locale.ts';
import { inLanguage } from './paths.ts';

/**
 * sitemap.xml (sitemaps.org 0.9) with every language version of each page as an
 * xhtml:link alternate, the form search engines read hreflang from in a sitemap.
 */
export function sitemapXml(
  baseUrl: string,
  pages: ReadonlyArray<{ path: string; lastmod?: string | null }>,
): string {
  const entries = pages.flatMap((p) =>
    SITE_LANGUAGES.map((lang) => {
      const alternates = SITE_LANGUAGES.map(
        (l) =>
          `<xhtml:link rel="alternate" hreflang="${l}" href="${escapeHtml(baseUrl + inLanguage(l, p.path))}"/>`,
      ).join('');
      const lastmod = p.lastmod ? `<lastmod>${p.lastmod.slice(0, 10)}</lastmod>` : '';
      return `<url><loc>${escapeHtml(baseUrl + inLanguage(lang, p.path))}</loc>${lastmod}${alternates}</url>`;
    }),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${entries.join('\n')}\n</urlset>\n`;
}
