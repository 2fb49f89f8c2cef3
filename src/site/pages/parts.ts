import type { AlertText } from '../../domain/alerts/types.ts';
import { type Html, html } from '../html.ts';
import type { Locale } from '../locale.ts';
import { inLanguage, paths } from '../paths.ts';
import type { PublicAlertView, SitePost } from '../views.ts';

/** Pieces shared by several pages: posts with their posture in words, alerts, staff text. */

/** Staff-written text is shown as written (English); on another page language it says so. */
export function staffText(loc: Locale, content: Html, tag: 'div' | 'p' = 'div'): Html {
  if (loc.lang === 'en')
    return tag === 'p' ? html`<p>${content}</p>` : html`<div class="body">${content}</div>`;
  const inner =
    tag === 'p'
      ? html`<p lang="en" dir="ltr">${content}</p>`
      : html`<div class="body" lang="en" dir="ltr">${content}</div>`;
  return html`<p class="note">${loc.words.staffTextNote}</p>${inner}`;
}

function districtName(loc: Locale, p: SitePost): string {
  return p.districtRegions.length > 0
    ? loc.messages.list(p.districtRegions.map((r) => r.name))
    : p.city || loc.words.districtOf(p.name);
}

/** "Consulate General Basrah is on ordered departure: …; citizen services for Basrah are provided by Embassy Baghdad." */
export function postureSentence(loc: Locale, p: SitePost): string | null {
  const w = loc.words;
  const delegation = p.servedBy
    ? w.servedElsewhere(districtName(loc, p), p.servedBy.name)
    : !p.serving
      ? w.notServingNoDelegate
      : null;
  if (p.state === 'normal' && !delegation) return null;
  const state = p.state === 'normal' ? '' : loc.messages.stateWords[p.state];
  const parts = [state && `${p.name} ${state}`, delegation].filter(Boolean);
  const sentence = parts.join('; ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

export function postHref(loc: Locale, p: { id: string; name: string }): string {
  return inLanguage(loc.lang, paths.post(p.id, p.name));
}

export function contactList(loc: Locale, p: SitePost): Html {
  const w = loc.words;
  const c = p.contact;
  const none = html`<span class="note">${w.unknown}</span>`;
  return html`<dl class="facts">
<dt>${w.phone}</dt><dd>${c.phone ? html`<a class="ltr" href="tel:${c.phone.replace(/[^\d+]/g, '')}">${c.phone}</a>` : none}</dd>
<dt>${w.email}</dt><dd>${c.email ? html`<a href="mailto:${c.email}">${c.email}</a>` : none}</dd>
<dt>${w.address}</dt><dd>${c.address ?? none}</dd>
<dt>${w.hours}</dt><dd>${c.hours ?? none}</dd>
</dl>`;
}

export function servicesList(loc: Locale, p: SitePost): Html {
  const w = loc.words;
  const keys = ['citizenServices', 'visas', 'walkIn'] as const;
  return html`<ul class="plain">${keys.map(
    (k) => html`<li>${w.services[k]}: <strong>${p.services[k] ? w.available : w.notAvailable}</strong></li>`,
  )}</ul>`;
}

/** A post as a card: name, posture in words, contacts, services (heading level given). */
export function postCard(loc: Locale, p: SitePost, level: 2 | 3): Html {
  const w = loc.words;
  const sentence = postureSentence(loc, p);
  const heading =
    level === 2
      ? html`<h2><a href="${postHref(loc, p)}">${p.name}</a></h2>`
      : html`<h3><a href="${postHref(loc, p)}">${p.name}</a></h3>`;
  return html`<section class="card post" data-testid="post-${p.id}" aria-label="${p.name}">
${heading}
<p class="note">${w.kinds[p.kind]}, ${p.city}</p>
${sentence && html`<p class="posture posture-${p.state}" data-testid="posture">${sentence}</p>`}
${p.since && p.state !== 'normal' && html`<p class="note">${w.sinceLabel} ${loc.date(p.since)}</p>`}
${p.statement && html`<p><strong>${w.statementHeading}:</strong></p>${staffText(loc, html`${p.statement}`, 'p')}`}
${contactList(loc, p)}
</section>`;
}

/** The alert's text in the page language, else English with the catalogue's fallback note. */
export function alertText(loc: Locale, a: PublicAlertView): { text: AlertText; fallback: boolean } {
  const own = a.texts[loc.lang];
  return own ? { text: own, fallback: false } : { text: a.texts.en, fallback: true };
}

export function alertTitle(loc: Locale, a: PublicAlertView): string {
  const words = loc.messages.alert;
  const { text } = alertText(loc, a);
  const drill = a.status === 'Actual' ? '' : `${words.drillPrefix[a.status]} `;
  const marker = a.msgType === 'Alert' ? '' : `${words.msgTypeMarker[a.msgType]} `;
  return `${drill}${marker}${words.kinds[a.kind]}${words.separator}${text.headline}`;
}

export function alertList(loc: Locale, alerts: readonly PublicAlertView[]): Html {
  if (alerts.length === 0) return html`<p data-testid="no-alerts">${loc.words.noAlerts}</p>`;
  return html`<ul class="plain">${alerts.map(
    (a) => html`<li><a href="${inLanguage(loc.lang, paths.alert(a.id))}">${alertTitle(loc, a)}</a>
<span class="note"><time datetime="${a.sentAt}">${loc.dateTime(a.sentAt)}</time></span></li>`,
  )}</ul>`;
}
