import { html } from '../html.ts';
import type { Page } from '../layout.ts';
import type { Locale } from '../locale.ts';
import { inLanguage, paths } from '../paths.ts';
import type { SearchData } from '../views.ts';
import { searchForm } from './home.ts';

export function searchPage(loc: Locale, d: SearchData): Page {
  const w = loc.words;
  const who = (lat: number, lon: number) =>
    `${inLanguage(loc.lang, paths.whoServes())}?lat=${lat.toFixed(4)}&lon=${lon.toFixed(4)}`;
  const main = html`
<h1>${w.searchTitle(d.q)}</h1>
${searchForm(loc, d.q)}
${d.countries.length === 0 && d.places.length === 0 && html`<p>${w.searchNothing}</p>`}
${
  d.countries.length > 0 &&
  html`<h2>${w.searchCountries}</h2><ul class="plain" data-testid="country-results">${d.countries.map(
    (c) =>
      html`<li><a href="${inLanguage(loc.lang, paths.country(c.code, c.name))}">${loc.country(c.code, c.name)}</a> <span class="note">${c.code}</span></li>`,
  )}</ul>`
}
${
  d.places.length > 0 &&
  html`<h2>${w.searchPlaces}</h2><ul class="plain" data-testid="place-results">${d.places.map(
    (p) => html`<li>${w.placeIn(p.name, p.region, loc.country(p.country.code, p.country.name))}:
<a href="${inLanguage(loc.lang, paths.country(p.country.code, p.country.name))}">${loc.country(p.country.code, p.country.name)}</a> ·
<a href="${who(p.lat, p.lon)}">${w.whoServesThere}</a></li>`,
  )}</ul>`
}`;
  return {
    title: w.searchTitle(d.q),
    description: w.homeDescription,
    path: paths.search(),
    main,
    noindex: true,
  };
}
