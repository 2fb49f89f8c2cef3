/**
 * The one control-character rule for text that people send us (issue 11): the API's schemas
 * (server/plugins/text.ts) and both CSV imports apply it, so a value refused by one path is
 * refused by every path, on both stores.
 *
 * - always refused: U+0000-U+0008, U+000B, U+000C, U+000E-U+001F (C0 but tab, LF, CR), U+007F
 *   (DEL) and U+0080-U+009F (C1);
 * - in single-line text, tab, LF and CR too.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_OR_BREAK = /[\u0000-\u001F\u007F-\u009F]/;

export type TextMode = 'line' | 'multiline';

/** The control character a value must not hold, or null: the one check, shared with CSV imports. */
export function textProblem(value: string, mode: TextMode): string | null {
  const m = (mode === 'line' ? CONTROL_OR_BREAK : CONTROL).exec(value);
  if (!m) return null;
  const code = m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return mode === 'line' && /[\t\n\r]/.test(m[0])
    ? `must be a single line (U+${code} at ${m.index})`
    : `must not contain control characters (U+${code} at ${m.index})`;
}

/** Whether a value holds a control character other than tab, LF and CR (multi-line text). */
export const hasControl = (value: string): boolean => CONTROL.test(value);
