import { html } from '../html.ts';
import type { Page } from '../layout.ts';
import type { Locale } from '../locale.ts';
import { inLanguage, paths } from '../paths.ts';
import type { Named, PublicAlertView } from '../views.ts';
import { alertList, alertText, alertTitle } from './parts.ts';

/** A country's current alerts. */
export function countryAlertsPage(loc: Locale, country: Named, alerts: readonly PublicAlertView[]): Page {
  const w = loc.words;
  const name = loc.country(country.code, country.name);
  const main = html`
<p><a href="${inLanguage(loc.lang, paths.country(country.code, country.name))}">${w.countryTitle(name)}</a></p>
<h1>${w.alertsTitle(name)}</h1>
<div data-testid="alerts">${alertList(loc, alerts)}</div>`;
  return {
    title: w.alertsTitle(name),
    description: w.alertsTitle(name),
    path: paths.countryAlerts(country.code, country.name),
    main,
  };
}

/** One public alert: drill banner, sections in the page's language (or English, said so), validity. */
export function alertPage(loc: Locale, a: PublicAlertView): Page {
  const w = loc.words;
  const words = loc.messages.alert;
  const { text, fallback } = alertText(loc, a);
  const sections = ['location', 'event', 'actionsToTake', 'assistance'] as const;
  const textLang = fallback ? 'en' : loc.lang;
  const main = html`
${a.status !== 'Actual' && html`<p class="drill" data-testid="drill">${words.drillBanner[a.status]}</p>`}
<h1>${alertTitle(loc, a)}</h1>
${
  a.state !== 'sent' &&
  html`<p class="notice" data-testid="superseded">${a.state === 'cancelled' ? w.alertCancelled : w.alertSuperseded}
${a.supersededBy && html` <a href="${inLanguage(loc.lang, paths.alert(a.supersededBy))}">${w.readNewer}</a>`}</p>`
}
<p class="note">${w.effectiveLabel} <time datetime="${a.effective}">${loc.dateTime(a.effective)}</time> · ${w.expiresLabel} <time datetime="${a.expires}">${loc.dateTime(a.expires)}</time></p>
${a.postName && html`<p>${w.issuedBy} ${a.postName}</p>`}
${fallback && html`<p class="note">${words.fallbackNote}</p>`}
<div lang="${textLang}" dir="${textLang === 'ar' ? 'rtl' : 'ltr'}">
${sections.map((s) => text.sections[s] && html`<h2>${words.sections[s]}</h2><p>${text.sections[s]}</p>`)}
</div>`;
  return {
    title: alertTitle(loc, a),
    description: text.headline,
    path: paths.alert(a.id),
    main,
    ogType: 'article',
  };
}
