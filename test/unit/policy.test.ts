import { describe, expect, it } from 'vitest';
import { Access, authorize, inScope } from '../../src/domain/auth/policy.ts';
import { type Principal, parseScope, type Role, type ScopeEntry } from '../../src/domain/auth/principal.ts';

const who = (role: Role, scope: ScopeEntry[] = []): Principal => ({
  userId: 'u',
  email: 'e',
  role,
  scope,
  via: 'session',
});

describe('authorization policy', () => {
  it('denies a route without a rule to everybody', () => {
    expect(authorize(null, undefined)).toBe('unauthenticated');
    expect(authorize(who('admin'), undefined)).toBe('forbidden');
  });

  it('applies role rules', () => {
    const rule = Access.roles('admin', 'crisis_manager');
    expect(authorize(null, rule)).toBe('unauthenticated');
    expect(authorize(who('viewer'), rule)).toBe('forbidden');
    expect(authorize(who('officer', ['country:IQ']), rule)).toBe('forbidden');
    expect(authorize(who('crisis_manager'), rule)).toBe('allow');
    expect(authorize(null, Access.public)).toBe('allow');
    expect(authorize(null, Access.authenticated)).toBe('unauthenticated');
  });

  it('limits an officer to the posts and countries in scope', () => {
    const officer = who('officer', ['country:IQ', 'post:p1']);
    expect(inScope(officer, { country: 'IQ' })).toBe(true);
    expect(inScope(officer, { country: 'iq' })).toBe(true);
    expect(inScope(officer, { country: 'JO' })).toBe(false);
    expect(inScope(officer, { postIds: ['p1'], country: 'KW' })).toBe(true);
    expect(inScope(officer, { postIds: ['p1', 'p2'], country: 'KW' })).toBe(false);
    expect(inScope(who('officer'), { country: 'IQ' })).toBe(false);
    expect(inScope(who('admin'), { country: 'JO' })).toBe(true);
    expect(inScope(who('viewer'), { country: 'JO' })).toBe(true);
    expect(inScope(who('viewer', ['country:IQ']), { country: 'JO' })).toBe(false);
  });

  it('parses scope entries strictly', () => {
    expect(parseScope(['country:iq', 'post:abc-1', 'country:IQ'])).toEqual({
      ok: ['country:IQ', 'post:abc-1'],
      bad: [],
    });
    expect(parseScope(['IQ', 'country:IRQ', 'post:', 'post:a b']).bad).toHaveLength(4);
  });
});
