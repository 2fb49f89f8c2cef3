// Dates in a crisis console: always say which time zone, never make the reader compute.

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});

const dateOnly = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

function parse(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDateTime(value: string | null | undefined): string {
  const date = parse(value);
  return date ? dateTime.format(date) : '—';
}

/** Date-only values ('2026-12-01') are calendar days; show them without shifting time zones. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const plain = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00`) : parse(value);
  return plain && !Number.isNaN(plain.getTime()) ? dateOnly.format(plain) : value;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatRelative(value: string | null | undefined, now = Date.now()): string {
  const date = parse(value);
  if (!date) return '';
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(seconds, 'second');
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), 'hour');
  if (abs < 86400 * 60) return relative.format(Math.round(seconds / 86400), 'day');
  if (abs < 86400 * 730) return relative.format(Math.round(seconds / (86400 * 30.44)), 'month');
  return relative.format(Math.round(seconds / (86400 * 365.25)), 'year');
}

/** Whether a date (or date-time) is in the past; date-only values expire at the end of that day. */
export function isPast(value: string | null | undefined, now = Date.now()): boolean {
  if (!value) return false;
  const end = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T23:59:59`) : parse(value);
  return end !== null && end.getTime() < now;
}

/** Value for <input type="datetime-local"> in the browser's zone. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** <input type="datetime-local"> value (browser zone) -> ISO-8601 UTC. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function toDateInput(date: Date): string {
  return toLocalInput(date).slice(0, 10);
}

export function addDays(date: Date, days: number): Date {
  const copy = new Date(date);
  copy.setDate(copy.getDate() + days);
  return copy;
}

/** 'ordered_departure' -> 'Ordered departure' for identifiers without a dedicated label. */
export function humanize(id: string): string {
  const words = id.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const count = new Intl.NumberFormat();

/** A count with the reader's locale separators ("10,000", "10 000"): never a bare number. */
export function formatCount(n: number): string {
  return count.format(n);
}

/** "1 incident", "10,000 incidents": the count formatted, the noun agreeing with it. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
