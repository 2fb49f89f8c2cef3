import { REPLY_CODE_DIGITS } from './reply-code.ts';

/*
 * One reply code per alert with a check-in, unique among the alerts still taking answers, so a
 * phone that got several can say which it answers. Codes are random (not a counter), so a code
 * says nothing about how many alerts there were, and codes that look like each other are avoided:
 * no code differs from an open one by a single digit, so one mistyped digit is refused as unknown
 * rather than answering another alert.
 */

const SPACE = 10 ** REPLY_CODE_DIGITS;

const fmt = (n: number): string => String(n).padStart(REPLY_CODE_DIGITS, '0');

/** Codes one substituted digit away from `code`. */
export function neighbours(code: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < code.length; i++) {
    for (let d = 0; d <= 9; d++) {
      const c = String(d);
      if (c !== code[i]) out.push(code.slice(0, i) + c + code.slice(i + 1));
    }
  }
  return out;
}

/**
 * A code not in `open` and not one digit away from any of them; `randomInt(n)` is a uniform
 * integer in [0, n) (node:crypto's randomInt in production, a seeded one in tests). Falls back to
 * any unused code when every well-separated one is taken (over ~270 alerts open at once), and
 * returns null only when all 10,000 are in use.
 */
export function allocateReplyCode(
  open: ReadonlySet<string>,
  randomInt: (n: number) => number,
): string | null {
  const blocked = new Set(open);
  for (const code of open) for (const n of neighbours(code)) blocked.add(n);
  for (const avoid of [blocked, open]) {
    if (avoid.size >= SPACE) continue;
    // Random probes first (cheap while most codes are free), then a scan from a random start.
    for (let i = 0; i < 32; i++) {
      const code = fmt(randomInt(SPACE));
      if (!avoid.has(code)) return code;
    }
    const start = randomInt(SPACE);
    for (let i = 0; i < SPACE; i++) {
      const code = fmt((start + i) % SPACE);
      if (!avoid.has(code)) return code;
    }
  }
  return null;
}
