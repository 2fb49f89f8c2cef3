// Letters that Unicode decomposition leaves alone but people type in ASCII.
const FOLD: Record<string, string> = {
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  ħ: 'h',
  ı: 'i',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
};

/**
 * Search form of a place name: lower case, no diacritics, apostrophes dropped
 * ("Sana'a" and "Sanaa" must meet), other punctuation turned into single spaces.
 */
export function normalizeName(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[øđðłħıßæœþ]/g, (c) => FOLD[c] ?? c)
    .replace(/['’‘`ʼʻ]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
