import { diffEditions, type EditionDiff } from '../../domain/advisories/diff.ts';
import type { Edition } from '../../domain/advisories/edition.ts';
import type { Indicator } from '../../domain/advisories/levels.ts';
import { renderMarkdown } from '../../domain/advisories/markdown.ts';
import { type Html, html, trusted } from '../html.ts';
import { levelBadge, type Page } from '../layout.ts';
import type { Locale } from '../locale.ts';
import { inLanguage, paths } from '../paths.ts';
import type { CountryPageData } from '../views.ts';
import { alertList, postCard, staffText } from './parts.ts';

function indicatorList(loc: Locale, codes: readonly Indicator[], testId: string): Html {
  return html`<ul class="plain indicators" data-testid="${testId}">${codes.map(
    (c) => html`<li data-indicator="${c}"><strong>${c}</strong> ${loc.messages.indicators[c]}</li>`,
  )}</ul>`;
}

function diffSummary(loc: Locale, d: EditionDiff, withText: boolean): Html {
  const w = loc.words;
  const lv = loc.messages.levels;
  const items: Html[] = [];
  if (d.level)
    items.push(
      html`<li>${w.levelChanged}: ${d.level.from} (${lv[d.level.from]}) → ${d.level.to} (${lv[d.level.to]})</li>`,
    );
  if (d.indicators.added.length)
    items.push(
      html`<li>${w.indicatorsAdded}: ${loc.messages.list(d.indicators.added.map((c) => loc.messages.indicators[c]))}</li>`,
    );
  if (d.indicators.removed.length)
    items.push(
      html`<li>${w.indicatorsRemoved}: ${loc.messages.list(d.indicators.removed.map((c) => loc.messages.indicators[c]))}</li>`,
    );
  for (const z of d.zones.added) items.push(html`<li><ins>+ ${z}</ins></li>`);
  for (const z of d.zones.removed) items.push(html`<li><del>− ${z}</del></li>`);
  for (const z of d.zones.changed)
    items.push(html`<li>${z.name}${z.level && html`: ${z.level.from} → ${z.level.to}`}</li>`);
  const textParts = withText
    ? [...(d.summary ?? []), ...(d.body ?? [])].filter((p) => p.kind !== 'unchanged')
    : [];
  const lines = textParts.map((p) =>
    p.kind === 'added' ? html`<ins>${p.text}</ins>` : html`<del>${p.text}</del>`,
  );
  return html`<ul class="diff">${items}</ul>${lines.length > 0 && html`<details><summary>${w.differencesFromPrevious}</summary><pre class="diff" lang="en" dir="ltr">${lines}</pre></details>`}`;
}

function changeNote(loc: Locale, e: Edition): Html {
  if (e.minor) return html`<p>${loc.words.minorUpdate}</p>`;
  return e.changeNote ? staffText(loc, html`${e.changeNote}`, 'p') : html``;
}

function history(loc: Locale, editions: readonly Edition[]): Html {
  const w = loc.words;
  return html`<ol class="plain">${editions.map((e, i) => {
    const before = editions[i + 1];
    const d = before ? diffEditions(before, e) : null;
    return html`<li class="card" data-testid="edition-${e.number}">
<h3>${w.editionLine(e.number ?? 0, e.publishedAt ? loc.date(e.publishedAt) : '')}</h3>
<p>${levelBadge(loc, e.level)}</p>
${changeNote(loc, e)}
${d && d.changed.length > 0 && diffSummary(loc, d, false)}
</li>`;
  })}</ol>`;
}

/** The country page: level and risks, summary, zones, what changed, full text, alerts, posts, history. */
export function countryPage(loc: Locale, d: CountryPageData, mapScript: string | null): Page {
  const w = loc.words;
  const name = loc.country(d.country.code, d.country.name);
  const path = paths.country(d.country.code, d.country.name);
  const a = d.advisory;
  const e = a?.current.edition;
  const q = `country=${encodeURIComponent(d.country.code)}`;
  const main = html`
<h1>${w.countryTitle(name)}</h1>
${
  e && a
    ? html`<p data-testid="level" data-level="${e.level}" data-edition="${e.number ?? 0}">${levelBadge(loc, e.level)}</p>
<p class="note">${w.editionLine(e.number ?? 0, loc.date(e.publishedAt ?? a.current.reviewedAt))}. ${w.reviewedOn} ${loc.date(a.current.reviewedAt)}.</p>
<h2>${w.indicatorsHeading}</h2>
${indicatorList(loc, e.indicators, 'indicators')}
<h2>${w.summaryHeading}</h2>
${staffText(loc, html`${e.summary}`, 'p')}
${
  e.zones.length > 0 &&
  html`<h2>${w.zonesHeading}</h2>
<p>${w.zonesIntro}</p>
<ul class="plain" data-testid="zones">${e.zones.map(
    (z) => html`<li class="card" data-testid="zone">
<h3>${z.name}</h3>
<p>${levelBadge(loc, z.level)}</p>
${z.indicators.length > 0 && indicatorList(loc, z.indicators, 'zone-indicators')}
<p>${w.regionsLabel}: ${loc.messages.list([...z.regions.map(d.regionName), ...(z.geometry ? [w.drawnArea] : [])])}</p>
${z.text && staffText(loc, trusted(renderMarkdown(z.text)))}
</li>`,
  )}</ul>`
}
<div class="map" id="map" data-country="${d.country.code}" data-testid="map"></div>
<h2>${w.whatChangedHeading}</h2>
<p>${w.editionLine(e.number ?? 0, loc.date(e.publishedAt ?? a.current.reviewedAt))}</p>
${changeNote(loc, e)}
${a.diff && diffSummary(loc, a.diff, true)}
${a.history.length > 1 && html`<p><a href="#history">${w.earlierEditions}</a></p>`}
<h2>${w.fullTextHeading}</h2>
${staffText(loc, trusted(renderMarkdown(e.body)))}`
    : html`<p data-testid="no-advisory">${w.noAdvisory}</p>`
}
<h2>${w.alertsHeading}</h2>
<div data-testid="alerts">${alertList(loc, d.alerts)}</div>
${d.alerts.length > 0 && html`<p><a href="${inLanguage(loc.lang, paths.countryAlerts(d.country.code, d.country.name))}">${w.allAlerts}</a></p>`}
<h2>${w.postsHeading}</h2>
${d.posts.length === 0 ? html`<p>${w.noPosts}</p>` : d.posts.map((p) => postCard(loc, p, 3))}
<p class="ctas"><a class="button" href="/subscribe?${q}">${w.subscribeFor(name)}</a> <a class="button secondary" href="/enroll?${q}">${w.enrollFor(name)}</a></p>
${a && a.history.length > 1 && html`<h2 id="history">${w.earlierEditions}</h2>${history(loc, a.history)}`}
`;
  return {
    title: w.countryTitle(name),
    description: e ? w.countryDescription(name, e.level, loc.messages.levels[e.level]) : w.noAdvisory,
    path,
    main,
    ogType: 'article',
    script: e ? mapScript : null,
    alternates: [
      { type: 'application/json', href: `/api/public/advisories/${d.country.code}`, title: `${name} (JSON)` },
      { type: 'application/atom+xml', href: '/feeds/advisories.atom', title: w.atom },
    ],
  };
}
