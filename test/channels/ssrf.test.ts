import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver } from '../../src/channels/fakes/webhook-receiver.ts';
import {
  BlockedDestinationError,
  createGuardedAgent,
  type Resolver,
  urlProblem,
} from '../../src/channels/ssrf.ts';
import type { Outcome } from '../../src/channels/types.ts';
import { createWebhookChannel } from '../../src/channels/webhook.ts';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of opened.splice(0).reverse()) await c.close();
});
const reasonOf = (o: Outcome): string => ('reason' in o ? o.reason : '');

/** A resolver standing in for DNS: names -> addresses, and a count of lookups per name. */
function fakeDns(table: Record<string, string[]>): Resolver & { calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const resolve = async (name: string) => {
    calls[name] = (calls[name] ?? 0) + 1;
    const found = table[name];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { calls });
}

// Every spelling of a non-public destination. The URL parser turns decimal, octal and hex IPv4
// into dotted form first, so `2130706433`, `0x7f.1` and `017700000001` are 127.0.0.1.
const LITERALS = [
  'https://127.0.0.1/',
  'https://127.1/',
  'https://2130706433/',
  'https://0x7f.1/',
  'https://0x7f000001/',
  'https://017700000001/',
  'https://0/',
  'https://10.1.2.3/',
  'https://172.16.0.1/',
  'https://192.168.1.1/',
  'https://100.64.0.1/',
  'https://169.254.169.254/latest/meta-data/',
  'https://224.0.0.1/',
  'https://255.255.255.255/',
  'https://240.0.0.1/',
  'https://192.0.2.1/',
  'https://198.51.100.1/',
  'https://203.0.113.1/',
  'https://198.18.0.1/',
  'https://[::1]/',
  'https://[::]/',
  'https://[::ffff:127.0.0.1]/',
  'https://[::ffff:7f00:1]/',
  'https://[::ffff:a9fe:a9fe]/',
  'https://[::127.0.0.1]/',
  'https://[64:ff9b::7f00:1]/',
  'https://[64:ff9b::a9fe:a9fe]/',
  'https://[64:ff9b:1::a00:1]/',
  'https://[2002:7f00:1::]/',
  'https://[2002:a9fe:a9fe::1]/',
  'https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/',
  'https://[2001:db8::1]/',
  'https://[fc00::1]/',
  'https://[fd12:3456::1]/',
  'https://[fe80::1]/',
  'https://[ff02::1]/',
];

describe('SSRF guard: literal addresses', () => {
  it.each(LITERALS)('refuses %s before sending', async (url) => {
    expect(urlProblem(url)).toMatch(/ is a /);
    const c = createWebhookChannel({ secret: SECRET });
    opened.push(c);
    const out = await c.send({ id: 'd1', to: url, text: 'x' });
    expect(out.kind).toBe('permanent');
    expect(reasonOf(out)).toMatch(/refused/);
  });

  it.each(LITERALS)('refuses %s in the connector too, whoever dispatches through it', async (url) => {
    const agent = createGuardedAgent();
    opened.push(agent);
    await expect(request(url, { dispatcher: agent })).rejects.toBeInstanceOf(BlockedDestinationError);
  });

  it('accepts public unicast addresses (the connection itself is not attempted here)', () => {
    for (const url of [
      'https://93.184.215.14/',
      'https://[2606:4700:4700::1111]/x',
      'https://hooks.example.org/',
    ])
      expect(urlProblem(url)).toBeNull();
  });
});

describe('SSRF guard: ports and schemes', () => {
  it('allows only https on 443, and http on 80 when allowHttp is on', () => {
    expect(urlProblem('https://93.184.215.14:8443/')).toMatch(/port 8443/);
    expect(urlProblem('https://93.184.215.14:443/')).toBeNull();
    expect(urlProblem('http://93.184.215.14/')).toMatch(/only https/);
    expect(urlProblem('http://93.184.215.14/', { allowHttp: true })).toBeNull();
    expect(urlProblem('http://93.184.215.14:8080/', { allowHttp: true })).toMatch(/port 8080/);
    expect(urlProblem('http://93.184.215.14:443/', { allowHttp: true })).toMatch(/port 443/);
    expect(urlProblem('ftp://93.184.215.14/', { allowHttp: true })).toMatch(/only http/);
    expect(urlProblem('https://u:p@93.184.215.14/')).toMatch(/credentials/);
    // With plain http allowed, the address rules still hold, in every spelling.
    expect(urlProblem('http://2130706433/', { allowHttp: true })).toBe('127.0.0.1 is a loopback address');
    expect(urlProblem('http://0x7f.1/', { allowHttp: true })).toBe('127.0.0.1 is a loopback address');
    expect(urlProblem('http://[64:ff9b::7f00:1]/', { allowHttp: true })).toMatch(/NAT64/);
  });
});

describe('SSRF guard: names, checked at connect time', () => {
  const channelWith = (resolve: Resolver, extra = {}) => {
    const c = createWebhookChannel({ secret: SECRET, resolve, ...extra });
    opened.push(c);
    return c;
  };

  it.each([
    ['localtest.me', ['127.0.0.1']],
    ['metadata.attacker.example', ['169.254.169.254']],
    ['v6.attacker.example', ['::1']],
    ['mapped.attacker.example', ['::ffff:127.0.0.1']],
    ['nat64.attacker.example', ['64:ff9b::7f00:1']],
    ['mixed.attacker.example', ['93.184.215.14', '10.0.0.7']],
  ])('refuses %s (resolves to %j), after one lookup', async (name, addresses) => {
    const dns = fakeDns({ [name]: addresses });
    const out = await channelWith(dns).send({ id: 'd1', to: `https://${name}/hook`, text: 'x' });
    expect(out.kind).toBe('permanent');
    expect(reasonOf(out)).toMatch(new RegExp(`${name.replace(/\./g, '\\.')} resolves to a`));
    expect(dns.calls[name]).toBe(1);
  });

  it('refuses localhost through the system resolver', async () => {
    const c = createWebhookChannel({ secret: SECRET });
    opened.push(c);
    const out = await c.send({ id: 'd1', to: 'https://localhost/hook', text: 'x' });
    expect(out).toMatchObject({
      kind: 'permanent',
      reason: expect.stringMatching(/localhost resolves to a loopback/),
    });
  });

  it('a name that does not resolve is transient (DNS may recover)', async () => {
    const out = await channelWith(fakeDns({})).send({
      id: 'd1',
      to: 'https://nowhere.example/hook',
      text: 'x',
    });
    expect(out.kind).toBe('transient');
    expect(reasonOf(out)).toMatch(/ENOTFOUND/);
  });

  it('connects to exactly the address it checked: no second lookup', async () => {
    // allowPrivate lets the local receiver be reached; the name exists only in the fake DNS, so
    // a second, system lookup could not find it, and the request arrives under that name.
    const r = await startWebhookReceiver({ secret: SECRET });
    opened.push(r);
    const dns = fakeDns({ 'receiver.warden.test': ['127.0.0.1'] });
    const c = channelWith(dns, { allowPrivate: true, allowHttp: true });
    const out = await c.send({ id: 'd1', to: `http://receiver.warden.test:${r.port}/hook`, text: 'x' });
    expect(out.kind).toBe('delivered');
    expect(r.requests[0]!.headers.host).toBe(`receiver.warden.test:${r.port}`);
    expect(dns.calls['receiver.warden.test']).toBe(1);
  });
});
