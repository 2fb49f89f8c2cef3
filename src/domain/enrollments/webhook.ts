import { BlockList, isIP } from 'node:net';

// Where a traveller's webhook may not point: our own machine and networks (SSRF).
const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, bits, 'ipv6');

const LOCAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa|lan)$/i;

/**
 * Why a webhook URL is refused, or null. Checked on the literal URL at enrollment; a public name
 * that resolves to a private address must be refused again by the sender at connect time.
 */
export function webhookProblem(raw: string): string | null {
  if (!URL.canParse(raw)) return 'not a URL';
  const u = new URL(raw);
  if (u.protocol !== 'https:') return 'must be https';
  if (u.username || u.password) return 'must not carry credentials';
  const host = u.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (host === '' || LOCAL_NAMES.test(host) || (!host.includes('.') && isIP(host) === 0))
    return 'host is not public';
  const v = isIP(host);
  if (v === 4 && blocked.check(host, 'ipv4')) return 'host is not public';
  if (v === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
    if (mapped?.[1] ? blocked.check(mapped[1], 'ipv4') : blocked.check(host, 'ipv6'))
      return 'host is not public';
    if (/^::ffff:/i.test(host)) return 'host is not public';
  }
  return null;
}
