import { CsvReader } from '../csv.ts';
import { MESSAGE_LANGUAGES, type MessageLanguage } from '../messages/languages.ts';
import { normalizeEmail, normalizePhone } from '../privacy/contact.ts';
import { textProblem } from '../text.ts';
import { MEMBER_KINDS, type MemberKind, type RosterMemberInput } from './types.ts';

/*
 * A roster as CSV: one row per person, staff and family alike.
 *
 *   reference,name,kind,role,essential,email,phone,household,language
 *   E-104,Dana Whitfield,staff,Consul General,yes,dana@example.org,+9647801234567,,en
 *   E-104-S,Sam Whitfield,family,Spouse,no,,+9647801234568,E-104,en
 *
 * `household` of a family member names the reference of a staff member (in the file or already on
 * the roster). Every row is checked and every problem reported with its line; a file with any
 * problem imports nothing (a drawdown headcount from half a roster would be wrong without saying so).
 */

export const ROSTER_COLUMNS = [
  'reference',
  'name',
  'kind',
  'role',
  'essential',
  'email',
  'phone',
  'household',
  'language',
] as const;
const REQUIRED = ['reference', 'name', 'kind'] as const;

export const MAX_ROSTER_ROWS = 5000;
const MAX_FIELD = 200;

export interface RosterRowError {
  /** Data row number (1 = first row after the header); 0 for the file itself. */
  readonly row: number;
  /** Physical line in the file. */
  readonly line: number;
  readonly field: string | null;
  readonly code: string;
  readonly reason: string;
}

export interface ParsedRoster {
  readonly members: Array<RosterMemberInput & { readonly line: number }>;
  readonly errors: RosterRowError[];
}

const YES = new Set(['yes', 'y', 'true', '1', 'essential']);
const NO = new Set(['no', 'n', 'false', '0', '']);

/**
 * Parses and checks a roster file. `country` is the post's (phone numbers without +country code
 * are read as local ones); `existingStaff` are references of staff already on the roster, which
 * family rows may name as their household.
 */
export function parseRosterCsv(
  text: string,
  country: string,
  existingStaff: ReadonlySet<string> = new Set(),
): ParsedRoster {
  const reader = new CsvReader(100_000);
  const items = [...reader.push(text), ...reader.end()];
  const errors: RosterRowError[] = [];
  const members: ParsedRoster['members'] = [];
  const header = items.shift();
  if (header?.kind !== 'record') {
    return {
      members,
      errors: [{ row: 0, line: 1, field: null, code: 'invalid_csv', reason: 'No header row.' }],
    };
  }
  const cols = header.fields.map((f) => f.trim().toLowerCase());
  const index = new Map(cols.map((c, i) => [c, i]));
  const unknown = cols.filter((c) => !(ROSTER_COLUMNS as readonly string[]).includes(c));
  const missing = REQUIRED.filter((c) => !index.has(c));
  if (unknown.length || missing.length || index.size !== cols.length) {
    const reason = [
      missing.length ? `missing column(s) ${missing.join(', ')}` : '',
      unknown.length ? `unknown column(s) ${unknown.join(', ')}` : '',
      index.size !== cols.length ? 'a column is named twice' : '',
    ]
      .filter(Boolean)
      .join('; ');
    return { members, errors: [{ row: 0, line: header.line, field: null, code: 'invalid_csv', reason }] };
  }
  if (items.length > MAX_ROSTER_ROWS) {
    const reason = `At most ${MAX_ROSTER_ROWS} rows per file (this one has ${items.length}).`;
    return { members, errors: [{ row: 0, line: 1, field: null, code: 'invalid_csv', reason }] };
  }

  const seen = new Map<string, number>();
  const staffRefs = new Set(existingStaff);
  const pending: Array<{ row: number; line: number; household: string }> = [];
  items.forEach((item, i) => {
    const row = i + 1;
    const fail = (field: string | null, code: string, reason: string): void => {
      errors.push({ row, line: item.line, field, code, reason });
    };
    if (item.kind === 'broken') {
      fail(null, 'invalid_csv', item.reason);
      return;
    }
    if (item.fields.length !== cols.length) {
      fail(null, 'invalid_csv', `${item.fields.length} fields where the header has ${cols.length}.`);
      return;
    }
    const get = (c: (typeof ROSTER_COLUMNS)[number]): string => {
      const at = index.get(c);
      return at === undefined ? '' : (item.fields[at] ?? '').trim();
    };
    const before = errors.length;
    for (const c of ROSTER_COLUMNS) {
      const v = get(c);
      const problem = v.length > MAX_FIELD ? `longer than ${MAX_FIELD} characters` : textProblem(v, 'line');
      if (problem) fail(c, 'invalid_text', `${c}: ${problem}`);
    }
    const reference = get('reference');
    const name = get('name');
    if (!reference) fail('reference', 'validation_failed', 'A reference is required.');
    else if (seen.has(reference)) {
      fail('reference', 'duplicate', `Reference ${reference} is also on row ${seen.get(reference)}.`);
    } else seen.set(reference, row);
    if (!name) fail('name', 'validation_failed', 'A name is required.');
    const kind = get('kind').toLowerCase();
    if (!(MEMBER_KINDS as readonly string[]).includes(kind)) {
      fail('kind', 'validation_failed', `kind must be staff or family, not "${get('kind')}".`);
    }
    const essentialText = get('essential').toLowerCase();
    const essential = YES.has(essentialText) ? true : NO.has(essentialText) ? false : null;
    if (essential === null) fail('essential', 'validation_failed', 'essential must be yes or no.');
    const emailText = get('email');
    const email = emailText ? normalizeEmail(emailText) : null;
    if (emailText && !email) fail('email', 'invalid_email', 'Not an email address.');
    const phoneText = get('phone');
    const phone = phoneText ? normalizePhone(phoneText, country) : null;
    if (phoneText && !phone) fail('phone', 'invalid_phone', 'Not a phone number.');
    const languageText = get('language').toLowerCase() || 'en';
    if (!(MESSAGE_LANGUAGES as readonly string[]).includes(languageText)) {
      fail('language', 'unknown_language', `language must be one of ${MESSAGE_LANGUAGES.join(', ')}.`);
    }
    const household = get('household') || null;
    if (kind === 'staff' && household) {
      fail('household', 'validation_failed', 'Staff head their own household; leave household empty.');
    }
    if (kind === 'family') {
      if (!household)
        fail('household', 'validation_failed', 'A family member needs the household (a staff reference).');
      else pending.push({ row, line: item.line, household });
    }
    if (errors.length > before) return;
    if (kind === 'staff') staffRefs.add(reference);
    members.push({
      line: item.line,
      reference,
      kind: kind as MemberKind,
      name,
      role: get('role') || (kind === 'staff' ? 'Staff' : 'Family member'),
      essential: essential as boolean,
      email,
      phone,
      household: kind === 'family' ? household : null,
      language: languageText as MessageLanguage,
    });
  });
  // Households last: a family row may come before its staff member's.
  for (const p of pending) {
    if (!staffRefs.has(p.household)) {
      errors.push({
        row: p.row,
        line: p.line,
        field: 'household',
        code: 'unknown_household',
        reason: `No staff member with reference ${p.household}.`,
      });
    }
  }
  errors.sort((a, b) => a.row - b.row);
  return { members, errors };
}
