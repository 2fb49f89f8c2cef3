import type { Readable } from 'node:stream';

/** Longest wait a provider may ask for; beyond it the engine's own backoff is the better guess. */
const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;

/**
 * `Retry-After` in milliseconds: delta-seconds (`120`) or an HTTP-date (RFC 9110 §10.2.3).
 * Undefined when absent or unreadable; clamped to [0, 24 h].
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!raw) return undefined;
  let ms: number;
  if (/^\d+$/.test(raw)) ms = Number(raw) * 1000;
  else {
    const at = Date.parse(raw);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/**
 * Reads at most `maxBytes` of a response body, then stops: a receiver that streams forever or
 * answers with megabytes costs us `maxBytes` and no more. The rest is discarded (the stream is
 * destroyed, which closes that connection rather than draining it).
 */
export async function readLimited(body: Readable, maxBytes: number): Promise<{ text: string; cut: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let cut = false;
  try {
    for await (const chunk of body) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      chunks.push(buf);
      size += buf.length;
      if (size >= maxBytes) {
        cut = true;
        break;
      }
    }
  } catch {
    // A body that breaks off (timeout, reset) still leaves what arrived: the status decides.
    cut = true;
  } finally {
    if (!body.destroyed) body.destroy();
  }
  return { text: Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8'), cut };
}

/** A short, stable description of a network failure from undici or node:net. */
export function networkReason(err: unknown): string {
  const e = err as { code?: string; message?: string; name?: string; cause?: unknown };
  const cause = e?.cause as { code?: string; message?: string } | undefined;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out';
  const code = e?.code ?? cause?.code;
  const message = (cause?.message ?? e?.message ?? String(err)).slice(0, 200);
  return code ? `${code}: ${message}` : message;
}

/** The first 300 characters of a body, on one line, for the attempt history. */
export const shortBody = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 300);
