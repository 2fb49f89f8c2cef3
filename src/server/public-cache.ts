import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../context.ts';
import { readRevisions } from '../store/revisions.ts';

interface Entry {
  body: string;
  etag: string;
  lastModified: string;
  revs: string;
  checkedAt: number;
}

export interface CachedResponse {
  /** Cache key: the URL's identity, e.g. 'advisories:list' or 'advisory:IQ'. */
  readonly key: string;
  /** Revision keys the body depends on (store/revisions.ts), e.g. ['advisories']. */
  readonly revisions: readonly string[];
  readonly type: string;
  readonly build: () => Promise<string>;
  readonly maxAgeSeconds?: number;
}

/**
 * Public reads are served from memory with ETag and Last-Modified, and answer 304 to conditional
 * requests. An entry is dropped at once when this process changes the data (ctx.changes), and is
 * re-validated against the store's revision counters at most once per `recheckMs` otherwise, so
 * a publish from another process shows within that time.
 */
export class PublicCache {
  private readonly entries = new Map<string, Entry>();
  private readonly deps = new Map<string, readonly string[]>();

  constructor(
    private readonly ctx: Context,
    private readonly recheckMs = 1000,
  ) {
    ctx.changes.subscribe((keys) => {
      for (const [key, revs] of this.deps) if (revs.some((r) => keys.includes(r))) this.entries.delete(key);
    });
  }

  async send(req: FastifyRequest, reply: FastifyReply, r: CachedResponse): Promise<FastifyReply> {
    const e = await this.entry(r);
    reply
      .header('etag', e.etag)
      .header('last-modified', e.lastModified)
      .header('cache-control', `public, max-age=${r.maxAgeSeconds ?? 60}`)
      .header('access-control-allow-origin', '*');
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const notModified =
      inm !== undefined
        ? inm.split(',').some((t) => t.trim() === e.etag || t.trim() === '*')
        : ims !== undefined && Date.parse(ims) >= Date.parse(e.lastModified);
    if (notModified) return reply.status(304).send();
    return reply.type(r.type).send(e.body);
  }

  private async entry(r: CachedResponse): Promise<Entry> {
    const now = Date.now();
    const cached = this.entries.get(r.key);
    if (cached && now - cached.checkedAt < this.recheckMs) return cached;
    const revs = await readRevisions(this.ctx.store.db, r.revisions);
    const revKey = r.revisions.map((k) => `${k}=${revs.get(k)?.rev ?? 0}`).join(';');
    if (cached && cached.revs === revKey) {
      cached.checkedAt = now;
      return cached;
    }
    const body = await r.build();
    const times = [...revs.values()].map((v) => Date.parse(v.updatedAt));
    // HTTP dates have one-second resolution; Last-Modified is the newest change of any dependency.
    const lastModified = new Date(times.length ? Math.max(...times) : 0).toUTCString();
    const entry: Entry = {
      body,
      etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
      lastModified,
      revs: revKey,
      checkedAt: now,
    };
    this.entries.set(r.key, entry);
    this.deps.set(r.key, r.revisions);
    return entry;
  }
}
