import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlib } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../../context.ts';
import { readRevisions } from '../../store/revisions.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's one public response cache (see buildApp). */
    publicCache: PublicCache;
  }
}

type Coding = 'identity' | 'gzip' | 'br';

/** One encoding of a body with every header it is sent with, computed once per build. */
interface Variant {
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

interface Entry {
  readonly variants: Readonly<Record<Coding, Variant>>;
  /** The body's hash: every encoding's ETag is built from it. */
  readonly hash: string;
  readonly lastModifiedMs: number;
  readonly revs: string;
  checkedAt: number;
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);
/** Below this, compressing saves less than the headers cost. */
const COMPRESS_MIN_BYTES = 1024;

/** Clients send a handful of distinct Accept-Encoding values: parse each once. */
const codingMemo = new Map<string, Coding>();

/** The best encoding the client accepts (q=0 refuses one); identity when it names none. */
export function pickCoding(acceptEncoding: string | undefined): Coding {
  if (!acceptEncoding) return 'identity';
  let coding = codingMemo.get(acceptEncoding);
  if (coding === undefined) {
    coding = parseAcceptEncoding(acceptEncoding);
    // Bounded: an attacker varying the header cannot grow it without limit.
    if (codingMemo.size >= 64) codingMemo.clear();
    codingMemo.set(acceptEncoding, coding);
  }
  return coding;
}

function parseAcceptEncoding(acceptEncoding: string): Coding {
  let best: Coding = 'identity';
  let bestQ = 0;
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.find((p) => p.trim().startsWith('q='));
    const q = qParam ? Number(qParam.trim().slice(2)) : 1;
    if (!(q > 0)) continue;
    const coding: Coding | null = name === 'br' ? 'br' : name === 'gzip' ? 'gzip' : null;
    // Brotli wins a tie: it is smaller for JSON and XML.
    if (coding && (q > bestQ || (q === bestQ && coding === 'br'))) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}

/** If-None-Match lists ETags (any encoding of the same body matches) or '*'. */
function matchesEtag(header: string, hash: string): boolean {
  for (const raw of header.split(',')) {
    const t = raw.trim().replace(/^W\//, '');
    if (t === '*' || t === `"${hash}"` || t.startsWith(`"${hash}-`)) return true;
  }
  return false;
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
  /** Rechecks and builds under way, so concurrent requests share one instead of stampeding. */
  private readonly inflight = new Map<string, Promise<Entry>>();
  /** Bumped when a change notice drops a key, so a build that started before it is not kept. */
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly ctx: Context,
    private readonly recheckMs = 1000,
  ) {
    ctx.changes.subscribe((keys) => {
      for (const [key, revs] of this.deps) {
        if (!revs.some((r) => keys.includes(r))) continue;
        this.entries.delete(key);
        this.inflight.delete(key);
        this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
      }
    });
  }

  /**
   * The hot path of every public read: no store access (except one recheck per second per key),
   * no serialisation and no compression; the bytes and headers were prepared when it was built.
   */
  async send(req: FastifyRequest, reply: FastifyReply, r: CachedResponse): Promise<FastifyReply> {
    const cached = this.entries.get(r.key);
    const e = cached && Date.now() - cached.checkedAt < this.recheckMs ? cached : await this.entry(r);
    const v = e.variants[pickCoding(req.headers['accept-encoding'])];
    reply.headers(v.headers);
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    // If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    const notModified =
      inm !== undefined ? matchesEtag(inm, e.hash) : ims !== undefined && Date.parse(ims) >= e.lastModifiedMs;
    if (notModified) {
      reply.removeHeader('content-type');
      reply.removeHeader('content-encoding');
      return reply.status(304).send();
    }
    return reply.send(v.body);
  }

  /** Drops one key's body (responses keyed by a time bucket, once the bucket has passed). */
  forget(key: string): void {
    this.entries.delete(key);
    this.deps.delete(key);
    this.inflight.delete(key);
  }

  private entry(r: CachedResponse): Promise<Entry> {
    let p = this.inflight.get(r.key);
    if (!p) {
      const done = () => {
        if (this.inflight.get(r.key) === p) this.inflight.delete(r.key);
      };
      p = this.refresh(r);
      p.then(done, done);
      this.inflight.set(r.key, p);
    }
    return p;
  }

  private async refresh(r: CachedResponse): Promise<Entry> {
    const generation = this.generations.get(r.key) ?? 0;
    const cached = this.entries.get(r.key);
    const revs = await readRevisions(this.ctx.store.db, r.revisions);
    const revKey = r.revisions.map((k) => `${k}=${revs.get(k)?.rev ?? 0}`).join(';');
    if (cached && cached.revs === revKey) {
      cached.checkedAt = Date.now();
      return cached;
    }
    const text = await r.build();
    const times = [...revs.values()].map((v) => Date.parse(v.updatedAt));
    // HTTP dates have one-second resolution; Last-Modified is the newest change of any dependency.
    const lastModifiedMs = Math.floor((times.length ? Math.max(...times) : 0) / 1000) * 1000;
    const entry: Entry = {
      ...(await this.variants(text, r, lastModifiedMs)),
      lastModifiedMs,
      revs: revKey,
      checkedAt: Date.now(),
    };
    // A change notice that arrived meanwhile means this body may already be old: serve it to the
    // requests that waited for it, but do not keep it.
    if ((this.generations.get(r.key) ?? 0) === generation) {
      this.entries.set(r.key, entry);
      this.deps.set(r.key, r.revisions);
    }
    return entry;
  }

  private async variants(text: string, r: CachedResponse, lastModifiedMs: number) {
    const body = Buffer.from(text, 'utf8');
    const hash = createHash('sha1').update(body).digest('base64url');
    const compress = body.length >= COMPRESS_MIN_BYTES;
    const [gz, br] = compress
      ? await Promise.all([
          gzipAsync(body, { level: 6 }),
          brotliAsync(body, {
            params: { [zlib.BROTLI_PARAM_QUALITY]: 6, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length },
          }),
        ])
      : [body, body];
    const common = {
      'content-type': r.type,
      'last-modified': new Date(lastModifiedMs).toUTCString(),
      'cache-control': `public, max-age=${r.maxAgeSeconds ?? 60}`,
      'access-control-allow-origin': '*',
      'x-content-type-options': 'nosniff',
      // Public data is meant to be used by other sites and systems.
      'cross-origin-resource-policy': 'cross-origin',
      ...(compress && { vary: 'accept-encoding' }),
    };
    const variant = (coding: Coding, bytes: Buffer): Variant => ({
      body: bytes,
      headers: {
        ...common,
        etag: coding === 'identity' || !compress ? `"${hash}"` : `"${hash}-${coding}"`,
        ...(compress && coding !== 'identity' && { 'content-encoding': coding }),
      },
    });
    return {
      hash,
      variants: { identity: variant('identity', body), gzip: variant('gzip', gz), br: variant('br', br) },
    };
  }
}
