import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { addressProblem } from '../domain/net/public-address.ts';

/**
 * The SSRF guard of outgoing webhooks, applied where the socket is opened: an undici Agent whose
 * connector refuses a literal non-public address and whose DNS lookup resolves the name once,
 * refuses it if ANY of its addresses is not public (loopback, private, link-local, CGNAT,
 * multicast, mapped, NAT64, 6to4, Teredo, documentation... see domain/net/public-address.ts)
 * and hands exactly the checked addresses to the socket: there is no second lookup a rebinding
 * DNS server could answer differently. Every new connection is checked; a kept-alive one was
 * checked when it was opened.
 */

export type ResolvedAddress = { readonly address: string; readonly family: number };
/** Name -> addresses; tests inject one (`localtest.me` -> 127.0.0.1) instead of real DNS. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface GuardOptions {
  /**
   * Lifts the address and port rules (loopback, private, any port). For tests and the local
   * demo only, whose receivers run on this machine; never in a deployment that takes webhook
   * URLs from travellers or organisations.
   */
  allowPrivate?: boolean;
  /** Allows `http:` to port 80 besides `https:` to 443 (an operator's choice). */
  allowHttp?: boolean;
  /** Default: the system resolver (`dns.lookup`, all addresses). */
  resolve?: Resolver;
}

/** A destination the guard refused; `code` lets callers tell it from network errors. */
export class BlockedDestinationError extends Error {
  readonly code = 'WARDEN_BLOCKED_DESTINATION';
  constructor(message: string) {
    super(message);
    this.name = 'BlockedDestinationError';
  }
}

const systemResolve: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

const bare = (host: string): string => host.replace(/^\[|\]$/g, '');

/** Why this scheme/host/port must not be contacted (literal addresses only), or null. */
export function destinationProblem(
  protocol: string,
  hostname: string,
  port: string | number | undefined,
  opts: GuardOptions = {},
): string | null {
  if (protocol !== 'https:' && !(protocol === 'http:' && opts.allowHttp)) {
    return opts.allowHttp ? 'only http and https URLs' : 'only https URLs (plain http is not allowed)';
  }
  if (opts.allowPrivate) return null;
  const effective = Number(port) || (protocol === 'https:' ? 443 : 80);
  const allowed = protocol === 'https:' ? 443 : 80;
  if (effective !== allowed)
    return `port ${effective} is not allowed (${protocol.slice(0, -1)} uses ${allowed})`;
  const host = bare(hostname);
  if (isIP(host) === 0) return null;
  const problem = addressProblem(host);
  return problem && `${host} is a ${problem}`;
}

/** Checks a URL before any network work: scheme, credentials, port, literal address. */
export function urlProblem(raw: string, opts: GuardOptions = {}): string | null {
  if (!URL.canParse(raw)) return 'not a URL';
  const u = new URL(raw);
  if (u.username || u.password) return 'the URL must not carry credentials';
  return destinationProblem(u.protocol, u.hostname, u.port, opts);
}

/** A `net` lookup that resolves once, checks every address, and returns only checked ones. */
export function guardedLookup(opts: GuardOptions = {}): LookupFunction {
  const resolve = opts.resolve ?? systemResolve;
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (found) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = found.filter((a) => family === 0 || a.family === family);
        if (usable.length === 0) {
          const err = Object.assign(new Error(`${hostname}: no address`), { code: 'ENOTFOUND', hostname });
          return callback(err, '', 0);
        }
        if (!opts.allowPrivate) {
          for (const a of found) {
            const problem = addressProblem(a.address);
            if (problem)
              return callback(new BlockedDestinationError(`${hostname} resolves to a ${problem}`), '', 0);
          }
        }
        if (options.all)
          return callback(
            null,
            usable.map((a) => ({ address: a.address, family: a.family })),
          );
        const first = usable[0]!;
        callback(null, first.address, first.family);
      },
      (err: unknown) => callback(err as NodeJS.ErrnoException, '', 0),
    );
  };
}

export interface GuardedAgentOptions extends GuardOptions {
  /** Connections per origin (default 8). */
  connections?: number;
  /** Milliseconds to open a connection, TLS included (default 5000). */
  connectTimeoutMs?: number;
  /** Extra CA certificates to trust (tests' local HTTPS receivers). */
  ca?: string | Buffer;
}

/** An undici dispatcher that only ever connects to addresses the guard has checked. */
export function createGuardedAgent(opts: GuardedAgentOptions = {}): Agent {
  const base = buildConnector({
    timeout: opts.connectTimeoutMs ?? 5000,
    lookup: guardedLookup(opts),
    ...(opts.ca !== undefined && { ca: opts.ca }),
  } as buildConnector.BuildOptions);
  const connect: buildConnector.connector = (options, callback) => {
    const problem = destinationProblem(options.protocol, options.hostname, options.port, opts);
    if (problem) {
      callback(new BlockedDestinationError(problem), null);
      return;
    }
    base(options, callback);
  };
  return new Agent({ connect, connections: opts.connections ?? 8, keepAliveTimeout: 4000 });
}

/** The guard's refusal inside an undici error (it may arrive wrapped as a cause), or null. */
export function blockedReason(err: unknown): string | null {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    if (e instanceof BlockedDestinationError) return e.message;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}
