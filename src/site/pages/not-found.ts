import { html } from '../html.ts';
import type { Page } from '../layout.ts';
import type { Locale } from '../locale.ts';
import { inLanguage } from '../paths.ts';

export function notFoundPage(loc: Locale, path: string, message?: string): Page {
  const w = loc.words;
  return {
    title: w.notFoundTitle,
    description: w.notFoundText,
    path,
    noindex: true,
    main: html`<h1>${w.notFoundTitle}</h1><p>${message ?? w.notFoundText}</p><p><a href="${inLanguage(loc.lang, '/')}">${w.backHome}</a></p>`,
  };
}
