import { html } from '../html.ts';
import type { Page } from '../layout.ts';
import type { Locale } from '../locale.ts';
import { inLanguage, paths } from '../paths.ts';
import type { Named, SitePost } from '../views.ts';
import { contactList, postHref, postureSentence, servicesList, staffText } from './parts.ts';

/** One post: posture in words, who serves its district, contacts and hours, services. */
export function postPage(loc: Locale, p: SitePost, country: Named): Page {
  const w = loc.words;
  const countryName = loc.country(country.code, country.name);
  const sentence = postureSentence(loc, p);
  const main = html`
<p><a href="${inLanguage(loc.lang, paths.country(country.code, country.name))}">${w.countryTitle(countryName)}</a></p>
<h1>${p.name}</h1>
<p class="note">${w.kinds[p.kind]}, ${p.city}, ${countryName}</p>
${sentence && html`<p class="posture posture-${p.state}" data-testid="posture">${sentence}</p>`}
${p.servedBy && html`<p><a href="${postHref(loc, p.servedBy)}" data-testid="served-by">${p.servedBy.name}</a></p>`}
${p.since && p.state !== 'normal' && html`<p class="note">${w.sinceLabel} ${loc.date(p.since)}</p>`}
${p.statement && html`<h2>${w.statementHeading}</h2>${staffText(loc, html`${p.statement}`, 'p')}`}
<h2>${w.contactHeading}</h2>
${contactList(loc, p)}
<h2>${w.servicesHeading}</h2>
${servicesList(loc, p)}
${p.districtRegions.length > 0 && html`<h2>${w.regionsLabel}</h2><p>${loc.messages.list(p.districtRegions.map((r) => r.name))}</p>`}
`;
  return {
    title: p.name,
    description: sentence ?? `${w.kinds[p.kind]}, ${p.city}, ${countryName}`,
    path: paths.post(p.id, p.name),
    main,
    ogType: 'article',
    alternates: [
      { type: 'application/json', href: `/api/public/posts?country=${p.country}`, title: w.json },
      { type: 'application/atom+xml', href: '/feeds/posts.atom', title: w.atom },
    ],
  };
}
