/*
 * Server-rendered HTML from tagged templates. Every interpolated value is escaped unless it is
 * already an Html (made by `html` or, for markup produced by a sanitiser, `trusted`), so a page
 * cannot be given markup through data by mistake. Arrays are joined; null, undefined and false
 * render nothing, so `${cond && html`…`}` reads naturally.
 */

import { escapeHtml } from '../domain/advisories/markdown.ts';

export { escapeHtml };

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Renderable = Html | string | number | null | undefined | false | readonly Renderable[];

function render(value: Renderable): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Renderable[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i] as Renderable) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** Markup that is already safe: the sanitised HTML of renderMarkdown, or a fixed constant. */
export const trusted = (markup: string): Html => new Html(markup);

/** Joins rendered pieces with a separator (escaped like any text). */
export function join(items: readonly Renderable[], separator: Renderable): Html {
  return new Html(items.map(render).join(render(separator)));
}
