import { BlockList, isIP } from 'node:net';

/**
 * Which IP addresses a webhook may reach: only publicly routed unicast. Used at save time on a
 * literal host (domain/enrollments/webhook.ts) and at connect time on every resolved address
 * (channels/ssrf.ts), so both refuse the same things for the same reasons.
 *
 * IPv6 is an allow-list: only global unicast (2000::/3) minus its special blocks. Everything
 * else (loopback, ULA, link-local, multicast, IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96,
 * NAT64 64:ff9b::/96 and 64:ff9b:1::/48, discard 100::/64) lies outside 2000::/3; the named
 * ranges are checked first only to give a precise reason. Transition ranges that embed an IPv4
 * address (NAT64, 6to4, Teredo, mapped) are refused whole: the gateway they lead to may reach
 * our own networks, and checking the embedded address would trust a translator we do not know.
 */
type Range = readonly [cidr: string, bits: number, reason: string];

const V4: readonly Range[] = [
  ['0.0.0.0', 8, 'unspecified ("this network")'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared address space (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay anycast'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['255.255.255.255', 32, 'broadcast'],
  ['240.0.0.0', 4, 'reserved'],
];

const V6: readonly Range[] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::ffff:0:0', 96, 'IPv4-mapped'],
  ['::ffff:0:0:0', 96, 'IPv4-translated'],
  ['::', 96, 'IPv4-compatible'],
  ['64:ff9b::', 96, 'NAT64'],
  ['64:ff9b:1::', 48, 'NAT64 (local use)'],
  ['100::', 64, 'discard-only'],
  ['fc00::', 7, 'private (unique local)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local (deprecated)'],
  ['ff00::', 8, 'multicast'],
  ['2001::', 32, 'Teredo'],
  ['2001:db8::', 32, 'documentation'],
  ['3fff::', 20, 'documentation'],
  ['2001::', 23, 'IETF protocol assignments'],
  ['2002::', 16, '6to4'],
];

const compile = (ranges: readonly Range[], family: 'ipv4' | 'ipv6') =>
  ranges.map(([net, bits, reason]) => {
    const list = new BlockList();
    list.addSubnet(net, bits, family);
    return { list, reason };
  });

const v4 = compile(V4, 'ipv4');
const v6 = compile(V6, 'ipv6');
const globalUnicast = new BlockList();
globalUnicast.addSubnet('2000::', 3, 'ipv6');

/**
 * Why an IP address must not be contacted, or null when it is public. Anything that is not an
 * IP literal (a name, an address with a zone id) is refused: the caller resolves names first.
 */
export function addressProblem(address: string): string | null {
  const family = isIP(address);
  if (family === 4) {
    for (const r of v4) if (r.list.check(address, 'ipv4')) return `${r.reason} address`;
    return null;
  }
  if (family === 6) {
    for (const r of v6) if (r.list.check(address, 'ipv6')) return `${r.reason} address`;
    return globalUnicast.check(address, 'ipv6') ? null : 'not a global unicast address';
  }
  return 'not an IP address';
}
