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
  // Most GeoNames names are plain ASCII: skip Unicode decomposition for them,
  // which halves the gazetteer's build time.
  if (/^[\x20-\x7e]*$/.test(s)) {
    return s
      .toLowerCase()
      .replace(/['`]/g, '')
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  }
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[øđðłħıßæœþ]/g, (c) => FOLD[c] ?? c)
    .replace(/['’‘`ʼʻ]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
