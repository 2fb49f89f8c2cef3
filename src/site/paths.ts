import type { MessageLanguage } from '../domain/messages/languages.ts';

/*
 * Public URLs. Every page lives under its language (/en, /fr, /ar), so one URL is one cacheable
 * body; the bare path (/countries/iq) picks a language from Accept-Language and redirects. Slugs
 * come from English names so a page's URL is the same shape in every language.
 */

export function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export const paths = {
  home: () => '/',
  search: () => '/search',
  country: (code: string, englishName: string) => `/countries/${code.toLowerCase()}-${slug(englishName)}`,
  countryAlerts: (code: string, englishName: string) => `${paths.country(code, englishName)}/alerts`,
  post: (id: string, name: string) => `/posts/${id}/${slug(name)}`,
  alert: (id: string) => `/alerts/${id}`,
  whoServes: () => '/who-serves-me',
};

/** A path in a language: '/countries/iq-iraq' -> '/fr/countries/iq-iraq'; home is '/fr/'. */
export const inLanguage = (lang: MessageLanguage, path: string): string =>
  path === '/' ? `/${lang}/` : `/${lang}${path}`;

/** The traveller pages of the React app (emailed links point there): no staff sign-in, no /console. */
export const isTravellerPath = (path: string): boolean =>
  /^\/(enroll|subscribe|privacy|checkin|roster-checkin)(\/|$)/.test(path);

/** Paths the staff console had before it moved to /console; old links and bookmarks are redirected. */
export const isLegacyConsolePath = (path: string): boolean =>
  /^\/(login|posts|approvals|advisories|tasks|incidents|actors|threats|organisations)(\/|$)/.test(path);
