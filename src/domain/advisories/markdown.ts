import { Marked, type Tokens } from 'marked';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * Link targets a reader may follow: web, mail, and same-site paths or anchors. Anything with
 * another scheme (javascript:, data:, vbscript:...) is dropped. Browsers ignore control
 * characters and spaces inside a scheme, so those are removed before looking at it.
 */
export function isSafeUrl(href: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what browsers skip.
  const s = href.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(s)?.[1];
  if (scheme) return scheme === 'http' || scheme === 'https' || scheme === 'mailto';
  // "//host" is another site with the page's scheme: allowed like an http(s) link.
  return !s.startsWith('\\');
}

/**
 * Markdown as written by staff, rendered for the public: raw HTML in the source is shown as
 * text (never passed through), and unsafe link or image targets are dropped.
 */
const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      const text = escapeHtml(token.text);
      return 'block' in token && token.block ? `<p>${text.trim()}</p>\n` : text;
    },
    link(token: Tokens.Link): string | false {
      return isSafeUrl(token.href) ? false : this.parser.parseInline(token.tokens);
    },
    image(token: Tokens.Image): string | false {
      return isSafeUrl(token.href) ? false : escapeHtml(token.text);
    },
  },
});

export function renderMarkdown(source: string): string {
  return marked.parse(source, { async: false });
}
