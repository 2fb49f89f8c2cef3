/**
 * A time as people read it in every language and on every phone: "2018-09-08 10:00 UTC". Digits
 * and Latin letters keep an SMS in GSM-7 where the rest of it is, and no reader has to guess the
 * time zone.
 */
export function formatUtc(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
