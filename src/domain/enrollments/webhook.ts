import { isIP } from 'node:net';
import { addressProblem } from '../net/public-address.ts';

const LOCAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa|lan)$/i;

/**
 * Why a webhook URL is refused, or null. Checked on the literal URL at enrollment: a literal
 * address must be public unicast (domain/net/public-address.ts: no loopback, private, NAT64,
 * 6to4, Teredo, mapped, documentation, ...). IPv4 written in decimal, octal or hex
 * (`https://2130706433/`, `https://0x7f.1/`) is normalised to dotted form by the URL parser
 * before this check. A public name that resolves to a private address (`localtest.me`) can only
 * be refused by the sender at connect time (channels/ssrf.ts), which it always is.
 */
export function webhookProblem(raw: string): string | null {
  if (!URL.canParse(raw)) return 'not a URL';
  // The URL parser drops tabs and line breaks silently; a URL holding any is not the one we'd call.
  if (/\s/.test(raw)) return 'must not contain spaces or line breaks';
  const u = new URL(raw);
  if (u.protocol !== 'https:') return 'must be https';
  if (u.username || u.password) return 'must not carry credentials';
  const host = u.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (host === '' || LOCAL_NAMES.test(host)) return 'host is not public';
  if (isIP(host) !== 0) return addressProblem(host) ? 'host is not public' : null;
  // A single label is not a public DNS name (an intranet host or a search-domain lookup).
  return host.includes('.') ? null : 'host is not public';
}
