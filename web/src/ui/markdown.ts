import { Marked, type Tokens } from 'marked';

// Advisory bodies are Markdown written by staff. The preview must show what travellers will read
// without ever turning the body into live HTML: raw HTML blocks and inline tags are shown as
// text, and only http(s)/mailto/tel/relative links survive.

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function safeHref(href: string): string | null {
  const trimmed = href.trim();
  // Relative links and fragments stay; anything with a scheme must be on the allow-list.
  if (/^(#|\/(?!\/)|\.{1,2}\/)/.test(trimmed)) return trimmed;
  try {
    const url = new URL(trimmed);
    return ['http:', 'https:', 'mailto:', 'tel:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      const shown = escapeHtml(token.text);
      return 'block' in token && token.block ? `<p class="md-raw-html">${shown.trim()}</p>\n` : shown;
    },
    link({ href, title, tokens }: Tokens.Link): string {
      const inner = this.parser.parseInline(tokens);
      const safe = safeHref(href);
      if (!safe) return inner;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(safe)}"${titleAttr} rel="noopener noreferrer nofollow" target="_blank">${inner}</a>`;
    },
    image({ text }: Tokens.Image): string {
      // No remote images (offline, and no tracking pixels): show the alt text.
      return text ? `<span class="md-image-alt">[${escapeHtml(text)}]</span>` : '';
    },
  },
});

/** Markdown -> HTML that is safe to set as innerHTML. */
export function renderMarkdown(source: string): string {
  return marked.parse(source, { async: false }) as string;
}
