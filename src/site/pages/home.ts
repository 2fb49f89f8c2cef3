import { LEVELS } from '../../domain/advisories/levels.ts';
import { type Html, html } from '../html.ts';
import { levelBadge, type Page } from '../layout.ts';
import type { Locale } from '../locale.ts';
import { inLanguage, paths } from '../paths.ts';
import type { Change, HomeData } from '../views.ts';
import { alertTitle, postHref, postureSentence } from './parts.ts';

export function searchForm(loc: Locale, q = ''): Html {
  const w = loc.words;
  return html`<form class="search" role="search" method="get" action="${inLanguage(loc.lang, paths.search())}">
<div><label for="q">${w.searchLabel}</label>
<p class="hint" id="q-hint">${w.searchHint}</p>
<input type="search" id="q" name="q" value="${q}" aria-describedby="q-hint" required maxlength="100" autocomplete="off"></div>
<button type="submit">${w.searchButton}</button>
</form>`;
}

function change(loc: Locale, c: Change): Html {
  const time = html`<time datetime="${c.at}">${loc.date(c.at)}</time>`;
  switch (c.kind) {
    case 'edition': {
      const name = loc.country(c.country.code, c.country.name);
      return html`<li>${time}<a href="${inLanguage(loc.lang, paths.country(c.country.code, c.country.name))}">${loc.words.changedEdition(name, c.edition.number ?? 0)}</a> ${levelBadge(loc, c.edition.level)}</li>`;
    }
    case 'posture':
      return html`<li>${time}<a href="${postHref(loc, c.post)}">${postureSentence(loc, c.post) ?? c.post.name}</a></li>`;
    case 'alert':
      return html`<li>${time}<a href="${inLanguage(loc.lang, paths.alert(c.alert.id))}">${alertTitle(loc, c.alert)}</a></li>`;
  }
}

/** The public home: search, the world map of levels (and the same as lists), latest changes, sign-ups. */
export function homePage(loc: Locale, d: HomeData, mapScript: string | null): Page {
  const w = loc.words;
  const main = html`
<h1>${w.homeTitle}</h1>
${searchForm(loc)}
<h2>${w.mapHeading}</h2>
<div class="map" id="map" data-testid="map"></div>
<p class="note">${w.mapNote}</p>
<h3>${w.countriesByLevel}</h3>
<div class="levels-list" data-testid="levels">${[...LEVELS].reverse().map((level) => {
    const items = d.levels.filter((i) => i.level === level);
    return html`<section aria-label="${loc.words.levelLine(level, loc.messages.levels[level])}">
<p>${levelBadge(loc, level)} <span class="note">${w.countriesAtLevel(items.length)}</span></p>
<ul class="plain">${items.map(
      (i) =>
        html`<li><a href="${inLanguage(loc.lang, paths.country(i.code, i.name))}">${loc.country(i.code, i.name)}</a></li>`,
    )}</ul></section>`;
  })}</div>
<h2>${w.latestHeading}</h2>
${d.changes.length === 0 ? html`<p>${w.noChanges}</p>` : html`<ul class="plain changes" data-testid="changes">${d.changes.map((c) => change(loc, c))}</ul>`}
<div class="ctas">
<div class="card"><h2>${w.enrollCta}</h2><p>${w.enrollText}</p><p><a class="button" href="/enroll">${w.enrollCta}</a></p></div>
<div class="card"><h2>${w.subscribeCta}</h2><p>${w.subscribeText}</p><p><a class="button" href="/subscribe">${w.subscribeCta}</a></p></div>
</div>
`;
  return {
    title: w.homeTitle,
    description: w.homeDescription,
    path: paths.home(),
    main,
    script: mapScript,
    alternates: [
      { type: 'application/atom+xml', href: '/feeds/advisories.atom', title: w.atom },
      { type: 'application/json', href: '/api/public/advisories', title: w.json },
    ],
  };
}
