import { type Html, html, type Renderable } from './html.ts';
import { LANGUAGE_NAMES, type Locale, SITE_LANGUAGES } from './locale.ts';
import { inLanguage, paths } from './paths.ts';

/** A feed or data document that says the same as the page (`<link rel="alternate">`). */
export interface Alternate {
  readonly type: string;
  readonly href: string;
  readonly title: string;
}

export interface Page {
  readonly title: string;
  readonly description: string;
  /** The page's path without its language, e.g. '/countries/iq-iraq'. */
  readonly path: string;
  readonly main: Html;
  readonly alternates?: readonly Alternate[];
  readonly ogType?: 'website' | 'article';
  /** Loads the map (or location) script: the page is complete without it. */
  readonly script?: string | null;
  /** Pages that answer a query (search, who serves) are not indexed. */
  readonly noindex?: boolean;
}

export interface SiteSettings {
  /** Absolute base URL, no trailing slash. */
  readonly baseUrl: string;
  /** The URL of the stylesheet (with its version, so it can be cached for long). */
  readonly cssHref: string;
}

/** The whole document: head with title, description, canonical, hreflang, Open Graph; header; footer. */
export function layout(loc: Locale, site: SiteSettings, page: Page): string {
  const w = loc.words;
  const href = (p: string) => inLanguage(loc.lang, p);
  const canonical = `${site.baseUrl}${href(page.path)}`;
  const title = page.path === '/' ? `${w.siteName}: ${page.title}` : `${page.title} | ${w.siteName}`;
  const nav: Array<[string, string]> = [
    [href(paths.home()), w.nav.home],
    [href(paths.whoServes()), w.nav.whoServes],
    ['/enroll', w.nav.enroll],
    ['/subscribe', w.nav.subscribe],
  ];
  const doc = html`<!doctype html>
<html lang="${loc.lang}" dir="${loc.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<meta name="description" content="${page.description}">
${page.noindex && html`<meta name="robots" content="noindex">`}
<link rel="canonical" href="${canonical}">
${SITE_LANGUAGES.map((l) => html`<link rel="alternate" hreflang="${l}" href="${site.baseUrl}${inLanguage(l, page.path)}">`)}
<link rel="alternate" hreflang="x-default" href="${site.baseUrl}${page.path}">
${(page.alternates ?? []).map((a) => html`<link rel="alternate" type="${a.type}" href="${a.href}" title="${a.title}">`)}
<meta property="og:type" content="${page.ogType ?? 'website'}">
<meta property="og:site_name" content="${w.siteName}">
<meta property="og:title" content="${page.title}">
<meta property="og:description" content="${page.description}">
<meta property="og:url" content="${canonical}">
<meta property="og:locale" content="${ogLocale(loc.lang)}">
<link rel="stylesheet" href="${site.cssHref}">
${page.script && html`<script type="module" src="${page.script}"></script>`}
</head>
<body>
<a class="skip" href="#main">${w.skipToContent}</a>
<header class="site"><div class="wrap">
<a class="brand" href="${href('/')}">${w.siteName}</a>
<nav aria-label="${w.siteName}"><ul>${nav.map(([h, t]) => html`<li><a href="${h}">${t}</a></li>`)}</ul></nav>
${languageSwitcher(loc, page.path)}
</div></header>
<main id="main" tabindex="-1"><div class="wrap">
${page.main}
</div></main>
<footer class="site"><div class="wrap">
<p>${w.tagline}</p>
<ul>
<li><a href="/privacy">${w.nav.privacy}</a></li>
<li><a href="/feeds/advisories.atom">${w.atom}</a></li>
<li><a href="/api/public/advisories">${w.json}</a></li>
<li><a href="/console">${w.nav.staff}</a></li>
</ul>
</div></footer>
</body>
</html>
`;
  return doc.value;
}

function languageSwitcher(loc: Locale, path: string): Html {
  return html`<nav class="langs" aria-label="${loc.words.languageLabel}">${SITE_LANGUAGES.map((l) =>
    l === loc.lang
      ? html`<a href="${inLanguage(l, path)}" lang="${l}" aria-current="true">${LANGUAGE_NAMES[l]}</a>`
      : html`<a href="${inLanguage(l, path)}" lang="${l}" hreflang="${l}">${LANGUAGE_NAMES[l]}</a>`,
  )}</nav>`;
}

const ogLocale = (lang: string) => ({ en: 'en_GB', fr: 'fr_FR', ar: 'ar_AR' })[lang] ?? 'en_GB';

/** A level badge: colour from the domain's table, and the level in words (never colour alone). */
export function levelBadge(loc: Locale, level: 1 | 2 | 3 | 4, extra: Renderable = null): Html {
  return html`<span class="badge level level-${level}">${loc.words.levelLine(level, loc.messages.levels[level])}</span>${extra}`;
}
