import { type Html, html } from '../html.ts';
import type { Page } from '../layout.ts';
import type { Locale } from '../locale.ts';
import { inLanguage, paths } from '../paths.ts';
import type { PlaceHit, WhoServesAnswer } from '../views.ts';
import { contactList, postHref, postureSentence } from './parts.ts';

function answer(loc: Locale, a: WhoServesAnswer): Html {
  const w = loc.words;
  const where = a.region?.name ?? (a.country && loc.country(a.country.code, a.country.name)) ?? '';
  const point = html`<p class="note ltr">${w.pointLine(loc.number(a.lat, 4), loc.number(a.lon, 4), where)}</p>`;
  if (!a.country) return html`${point}<p data-testid="answer">${w.noCountryHere}</p>`;
  const p = a.post;
  if (!p || !a.serving) return html`${point}<p data-testid="answer">${w.noServingPost}</p>`;
  const why: Html[] = [];
  if (a.match === 'polygon') why.push(html`<li>${w.whyPolygon}</li>`);
  if (a.match === 'region' && a.region) why.push(html`<li>${w.whyRegion(a.region.name)}</li>`);
  if (a.match === 'country') why.push(html`<li>${w.whyCountry}</li>`);
  if (a.districtPost && a.districtPost.id !== p.id)
    why.push(html`<li>${w.delegated(a.districtPost.name, p.name)}</li>`);
  const sentence = postureSentence(loc, p);
  return html`${point}
<p class="answer" data-testid="answer">${w.whoAnswer(p.name)}</p>
<p><a href="${postHref(loc, p)}" data-testid="serving-post">${p.name}</a></p>
<h2>${w.whyHeading}</h2>
<ul data-testid="why">${why}</ul>
${sentence && html`<p class="posture posture-${p.state}">${sentence}</p>`}
<h2>${w.contactHeading}</h2>
${contactList(loc, p)}`;
}

/** "Who serves me?": a place search or coordinates (or, with JavaScript, the device's location). */
export function whoServesPage(
  loc: Locale,
  d: { q: string; places: readonly PlaceHit[]; answer: WhoServesAnswer | null; lat: string; lon: string },
  script: string | null,
): Page {
  const w = loc.words;
  const action = inLanguage(loc.lang, paths.whoServes());
  const main = html`
<h1>${w.whoTitle}</h1>
<p>${w.whoDescription}</p>
<form class="search" method="get" action="${action}">
<div><label for="place">${w.placeLabel}</label>
<input type="search" id="place" name="q" value="${d.q}" maxlength="100" autocomplete="off"></div>
<button type="submit">${w.findPlace}</button>
</form>
<form method="get" action="${action}" id="point-form">
<fieldset><legend>${w.orCoordinates}</legend>
<div class="search">
<div><label for="lat">${w.latLabel}</label><input type="number" id="lat" name="lat" step="any" min="-90" max="90" value="${d.lat}" required></div>
<div><label for="lon">${w.lonLabel}</label><input type="number" id="lon" name="lon" step="any" min="-180" max="180" value="${d.lon}" required></div>
<button type="submit">${w.findPoint}</button>
<button type="button" class="secondary" id="use-location" hidden>${w.useLocation}</button>
</div></fieldset>
</form>
${
  d.places.length > 0 &&
  html`<ul class="plain" data-testid="place-results">${d.places.map(
    (p) =>
      html`<li><a href="${action}?lat=${p.lat.toFixed(4)}&amp;lon=${p.lon.toFixed(4)}">${w.placeIn(p.name, p.region, loc.country(p.country.code, p.country.name))}</a></li>`,
  )}</ul>`
}
${d.q && d.places.length === 0 && html`<p>${w.searchNothing}</p>`}
${d.answer && html`<section aria-live="polite" data-testid="who-answer">${answer(loc, d.answer)}</section>`}
`;
  return {
    title: w.whoTitle,
    description: w.whoDescription,
    path: paths.whoServes(),
    main,
    script,
    noindex: Boolean(d.q || d.answer),
  };
}
