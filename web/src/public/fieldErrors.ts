import { ApiError } from '../app/api.ts';
import { isRecord } from '../app/util.ts';

// The API blames a field in one of two ways: a domain error's details.field ('email',
// 'trips/1/arrival', 'emergencyContact/phone'), or schema validation's details.problems[] with a
// JSON-pointer path ('body/trips/0/arrival') plus, for a missing or unknown property, its name.
// Both become one key per form field, so the message can sit next to the input it is about.

export type FieldErrors = Record<string, string>;

/** 'body/trips/0/place/placeId' -> 'trips/0/location'; the keys the forms render errors under. */
export function fieldKey(raw: string): string {
  const parts = raw.replace(/^\/+/, '').split(/[/.]/).filter(Boolean);
  if (parts[0] === 'body' || parts[0] === 'querystring') parts.shift();
  // Where a trip is (place, point or the whole country) is one choice on the form.
  if (parts[0] === 'trips' && parts[1] !== undefined) {
    const rest = parts[2];
    if (rest === undefined || rest === 'place' || rest === 'point' || rest === 'wholeCountry')
      return `trips/${parts[1]}/location`;
    return `trips/${parts[1]}/${rest}`;
  }
  if (parts[0] === 'emergencyContact') return parts.slice(0, 2).join('/');
  return parts.slice(0, 1).join('/');
}

/** Schema messages ("must NOT have fewer than 1 characters") in words a traveller reads. */
function plain(message: string): string {
  if (/fewer than 1 characters|must have required property/.test(message)) return 'This is required.';
  if (/format "date"/.test(message)) return 'Enter a date.';
  if (/format "email"/.test(message)) return 'Enter an email address.';
  if (/must NOT have more than/.test(message)) return 'This is too long.';
  if (/must NOT have additional properties/.test(message)) return 'This field is not accepted.';
  const t = message.trim();
  return t ? `${t.charAt(0).toUpperCase()}${t.slice(1)}.` : 'This is not valid.';
}

/** Field-level messages from an API error; the rest of the error is for a notice above the form. */
export function fieldErrorsOf(error: unknown): FieldErrors {
  if (!(error instanceof ApiError) || !isRecord(error.details)) return {};
  const d = error.details;
  const out: FieldErrors = {};
  if (typeof d.field === 'string') out[fieldKey(d.field)] = error.message;
  if (Array.isArray(d.problems)) {
    for (const p of d.problems) {
      if (!isRecord(p) || typeof p.path !== 'string') continue;
      const path = typeof p.field === 'string' ? `${p.path}/${p.field}` : p.path;
      const key = fieldKey(path);
      out[key] ??= plain(typeof p.message === 'string' ? p.message : '');
    }
  }
  return out;
}

/** The errors left once the person edits some fields: a fixed field stops being blamed. */
export function withoutKeys(errors: FieldErrors, drop: (key: string) => boolean): FieldErrors {
  const keys = Object.keys(errors);
  if (!keys.some(drop)) return errors;
  return Object.fromEntries(Object.entries(errors).filter(([k]) => !drop(k)));
}
