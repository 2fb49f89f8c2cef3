import type { Answer } from './types.ts';

/*
 * SMS replies: `SAFE 4821`, `HELP 4821`, `1 4821`, `2 4821` — the keyword says the answer, the
 * code says which alert (several may be open for one phone). Forgiving, because people type on
 * a small keyboard in a hurry: any case, any spacing or punctuation between (or none:
 * `safe4821`), the code before the keyword (`4821 safe`), full-width and Arabic-Indic digits.
 * Anything else is `unrecognised` and is kept as such, never guessed at.
 */

export const REPLY_CODE_DIGITS = 4;

const KEYWORDS: Readonly<Record<string, Answer>> = {
  SAFE: 'safe',
  OK: 'safe',
  '1': 'safe',
  HELP: 'need_help',
  SOS: 'need_help',
  '2': 'need_help',
};

export type ParsedReply =
  | { readonly kind: 'answer'; readonly answer: Answer; readonly code: string }
  /** A keyword but no code: we cannot tell which alert, unless only one is open for the sender. */
  | { readonly kind: 'no_code'; readonly answer: Answer }
  | { readonly kind: 'unrecognised' };

/** NFKC folds full-width forms; Arabic-Indic (U+0660) and Eastern Arabic-Indic (U+06F0) digits map to ASCII. */
function fold(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .toUpperCase();
}

const MAX_REPLY = 160;
// Tokens: a run of letters or a run of digits; everything else separates.
const TOKEN = /[A-Z]+|[0-9]+/g;

export function parseReply(text: string): ParsedReply {
  if (text.length > MAX_REPLY) return { kind: 'unrecognised' };
  const tokens = fold(text).match(TOKEN) ?? [];
  if (tokens.length === 0 || tokens.length > 2) return { kind: 'unrecognised' };
  const [first, second] = tokens as [string, string | undefined];
  if (second === undefined) {
    const answer = KEYWORDS[first];
    if (answer) return { kind: 'no_code', answer };
    // `14821`: the digit keyword typed straight onto the code.
    const glued = KEYWORDS[first.charAt(0)];
    if (glued && /^[0-9]+$/.test(first) && isReplyCode(first.slice(1))) {
      return { kind: 'answer', answer: glued, code: first.slice(1) };
    }
    return { kind: 'unrecognised' };
  }
  // Keyword then code, or code then keyword; `1 4821` is keyword-first by the code's length.
  for (const [word, code] of [
    [first, second],
    [second, first],
  ] as const) {
    const answer = KEYWORDS[word];
    if (answer && isReplyCode(code)) return { kind: 'answer', answer, code };
  }
  return { kind: 'unrecognised' };
}

const CODE = new RegExp(`^[0-9]{${REPLY_CODE_DIGITS}}$`);
export const isReplyCode = (s: string): boolean => CODE.test(s);

/** The two replies a message asks for, as the recipient will type them. */
export const replyExamples = (code: string): { safe: string; needHelp: string } => ({
  safe: `SAFE ${code}`,
  needHelp: `HELP ${code}`,
});
