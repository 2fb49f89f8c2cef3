import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainDeliveries } from '../../src/worker/deliveries.ts';
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';

type Json = Record<string, unknown>;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const person = (over: Json = {}) => ({
  externalId: 'EMP-001',
  name: 'Layla Hassan',
  email: 'layla.hassan@tigris.example',
  phone: '+9647701234567',
  emergencyContact: { name: 'Omar Hassan', phone: '+447911123456' },
  trips: [
    { country: 'IQ', point: { lat: 30.508, lon: 47.8 }, arrival: day(1), departure: day(20) },
    { country: 'KW', wholeCountry: true, arrival: day(21) },
  ],
  ...over,
});

describe.each(backends())('organisations and their API on %s', (backend) => {
  let h: ApiHarness;
  let crisis: Caller;
  let officer: Caller;
  let orgId: string;
  let secret: string;
  let tokenId: string;

  beforeAll(async () => {
    h = await createApiHarness(backend);
    crisis = await h.signIn('crisis_manager');
    officer = await h.signIn('officer');
  });
  afterAll(() => h.dispose());

  const staff = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Json, who = crisis) =>
    h.app.inject({ method, url, headers: who.headers, ...(payload && { payload }) });
  const org = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: Json, token = secret) =>
    h.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload && { payload }) });

  it('lets crisis staff create an organisation, once per name, and nobody else', async () => {
    const res = await staff('POST', '/api/organisations', {
      name: 'Tigris Engineering',
      notes: 'Contractor',
    });
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json().organisation;
    expect(o).toMatchObject({ name: 'Tigris Engineering', notes: 'Contractor', persons: 0, tokens: [] });
    orgId = o.id;
    const again = await staff('POST', '/api/organisations', { name: '  tigris   ENGINEERING ' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details.field).toBe('name');
    expect((await staff('POST', '/api/organisations', { name: 'Other' }, officer)).statusCode).toBe(403);
    const list = (await staff('GET', '/api/organisations')).json().organisations;
    expect(list.map((x: Json) => x.name)).toEqual(['Tigris Engineering']);
  });

  it('issues a token shown once and stored only as its hash', async () => {
    const res = await staff('POST', `/api/organisations/${orgId}/tokens`, { label: 'HR system' });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    secret = body.secret;
    tokenId = body.token.id;
    expect(secret).toMatch(/^wor_[A-Za-z0-9_-]{40,}$/);
    expect(body.token).toMatchObject({ label: 'HR system', lastUsedAt: null, revokedAt: null });
    const stored = await h.ctx.store.db.selectFrom('organisation_tokens').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(secret);
    const shown = (await staff('GET', `/api/organisations/${orgId}`)).json().organisation;
    expect(shown.tokens).toEqual([expect.objectContaining({ id: tokenId, label: 'HR system' })]);
    expect(JSON.stringify(shown)).not.toContain(secret);
  });

  it('enrolls one person by API, idempotently, as verified by the organisation', async () => {
    const created = await org('POST', '/api/org/enrollments', person());
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ status: 'created', externalId: 'EMP-001' });
    const same = await org('POST', '/api/org/enrollments', person());
    expect(same.statusCode).toBe(200);
    expect(same.json()).toMatchObject({ status: 'unchanged', id: created.json().id });
    const changed = await org('POST', '/api/org/enrollments', person({ name: 'Layla H. Hassan' }));
    expect(changed.json()).toMatchObject({ status: 'updated', id: created.json().id });

    const read = await org('GET', '/api/org/enrollments/EMP-001');
    expect(read.statusCode, read.body).toBe(200);
    const e = read.json().enrollment;
    expect(e).toMatchObject({
      externalId: 'EMP-001',
      name: 'Layla H. Hassan',
      emergencyContact: { name: 'Omar Hassan', phone: '+447911123456', email: null },
      contacts: [
        { kind: 'email', value: 'layla.hassan@tigris.example', verified: true },
        { kind: 'phone', value: '+9647701234567', verified: true },
      ],
    });
    expect(e.trips.map((t: Json) => [t.country, t.region])).toEqual([
      ['IQ', 'IQ-BA'],
      ['KW', null],
    ]);
    // No double opt-in: nothing was queued to confirm the organisation's contacts.
    expect(await h.ctx.store.db.selectFrom('deliveries').selectAll().execute()).toEqual([]);
    expect((await staff('GET', `/api/organisations/${orgId}`)).json().organisation.persons).toBe(1);
  });

  it('keeps the person able to ask for a self-service manage link', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/public/manage-link',
      payload: { email: 'layla.hassan@tigris.example' },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    // Looked up after the answer, by the delivery worker.
    await drainDeliveries(h.ctx);
    const queued = await h.ctx.store.db
      .selectFrom('deliveries')
      .select('template')
      .where('channel', '!=', 'internal')
      .execute();
    expect(queued.map((m) => m.template)).toEqual(['manage_link']);
  });

  it('refuses bad input with a precise code and field', async () => {
    const email = await org(
      'POST',
      '/api/org/enrollments',
      person({ externalId: 'X1', email: 'not-an-email' }),
    );
    expect(email.statusCode).toBe(400);
    expect(email.json().error).toMatchObject({ code: 'invalid_email', details: { field: 'email' } });
    const dates = await org(
      'POST',
      '/api/org/enrollments',
      person({
        externalId: 'X2',
        trips: [{ country: 'IQ', wholeCountry: true, arrival: day(10), departure: day(2) }],
      }),
    );
    expect(dates.json().error).toMatchObject({
      code: 'invalid_dates',
      details: { field: 'trips/0/departure' },
    });
    const hook = await org(
      'POST',
      '/api/org/enrollments',
      person({ externalId: 'X3', webhookUrl: 'https://127.0.0.1/hook' }),
    );
    expect(hook.json().error).toMatchObject({
      code: 'webhook_not_allowed',
      details: { field: 'webhookUrl' },
    });
    const taken = await org('POST', '/api/org/enrollments', person({ externalId: 'X4' }));
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.details.field).toBe('email');
    expect((await org('GET', '/api/org/enrollments/X4')).statusCode).toBe(404);
  });

  it('keeps organisation tokens and staff credentials apart', async () => {
    expect((await org('GET', '/api/organisations')).statusCode).toBe(403);
    expect((await org('GET', '/api/enrollments/stats')).statusCode).toBe(403);
    expect((await org('GET', '/api/auth/me')).statusCode).toBe(403);
    const staffToken = (await staff('POST', '/api/tokens', { name: 'automation' })).json().secret as string;
    const asStaffToken = await org('GET', '/api/org/enrollments/EMP-001', undefined, staffToken);
    expect(asStaffToken.statusCode).toBe(403);
    const asCookie = await h.app.inject({
      method: 'GET',
      url: '/api/org/enrollments/EMP-001',
      headers: crisis.headers,
    });
    expect(asCookie.statusCode).toBe(403);
    const forged = await org('GET', '/api/org/enrollments/EMP-001', undefined, `wor_${'x'.repeat(43)}`);
    expect(forged.statusCode).toBe(401);
    expect(errorCode(forged)).toBe('invalid_token');
  });

  it("never shows one organisation another's people", async () => {
    const other = (await staff('POST', '/api/organisations', { name: 'Euphrates NGO' })).json().organisation;
    const otherSecret = (await staff('POST', `/api/organisations/${other.id}/tokens`, { label: 'x' })).json()
      .secret;
    expect((await org('GET', '/api/org/enrollments/EMP-001', undefined, otherSecret)).statusCode).toBe(404);
    expect((await org('DELETE', '/api/org/enrollments/EMP-001', undefined, otherSecret)).statusCode).toBe(
      404,
    );
  });

  it('audits organisation reads, naming nobody', async () => {
    const entries = await h.ctx.store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    const reads = entries.filter((e) => e.action === 'enrollment.read');
    expect(reads.length).toBeGreaterThan(0);
    expect(reads[0]!.actor).toBe(`organisation:${orgId}`);
    const text = JSON.stringify(entries);
    for (const pii of ['Layla', 'layla.hassan', '+9647701234567', 'Omar']) expect(text).not.toContain(pii);
  });

  it('erases a person by crypto-shredding', async () => {
    const id = (await org('GET', '/api/org/enrollments/EMP-001')).json().enrollment.id;
    expect((await org('DELETE', '/api/org/enrollments/EMP-001')).statusCode).toBe(204);
    expect((await org('GET', '/api/org/enrollments/EMP-001')).statusCode).toBe(404);
    const db = h.ctx.store.db;
    expect(await db.selectFrom('enrollment_keys').where('person_id', '=', id).selectAll().execute()).toEqual(
      [],
    );
    expect(
      await db.selectFrom('enrollment_contacts').where('person_id', '=', id).selectAll().execute(),
    ).toEqual([]);
  });

  it('stops a revoked token and every token of a disabled organisation', async () => {
    const second = (await staff('POST', `/api/organisations/${orgId}/tokens`, { label: 'backup' })).json()
      .secret;
    expect((await staff('DELETE', `/api/organisations/${orgId}/tokens/${tokenId}`)).statusCode).toBe(204);
    expect((await org('GET', '/api/org/enrollments/EMP-001')).statusCode).toBe(401);
    expect((await org('GET', '/api/org/enrollments/EMP-001', undefined, second)).statusCode).toBe(404);
    const off = await staff('PATCH', `/api/organisations/${orgId}`, { disabled: true });
    expect(off.json().organisation.disabledAt).not.toBeNull();
    expect((await org('GET', '/api/org/enrollments/EMP-001', undefined, second)).statusCode).toBe(401);
    const on = await staff('PATCH', `/api/organisations/${orgId}`, { disabled: false, name: 'Tigris Eng.' });
    expect(on.json().organisation).toMatchObject({ disabledAt: null, name: 'Tigris Eng.' });
    expect((await org('GET', '/api/org/enrollments/EMP-001', undefined, second)).statusCode).toBe(404);
  });
});

describe.each(backends())('private webhook hosts on %s', (backend) => {
  it('are accepted for organisations only when the operator allows them', async () => {
    const h = await createApiHarness(backend, { WARDEN_WEBHOOK_ALLOW_PRIVATE: '1' });
    try {
      const crisis = await h.signIn('crisis_manager');
      const o = (
        await h.app.inject({
          method: 'POST',
          url: '/api/organisations',
          headers: crisis.headers,
          payload: { name: 'A' },
        })
      ).json().organisation;
      const { secret } = (
        await h.app.inject({
          method: 'POST',
          url: `/api/organisations/${o.id}/tokens`,
          headers: crisis.headers,
          payload: { label: 'x' },
        })
      ).json();
      const send = (webhookUrl: string) =>
        h.app.inject({
          method: 'POST',
          url: '/api/org/enrollments',
          headers: { authorization: `Bearer ${secret}` },
          payload: person({ webhookUrl, externalId: webhookUrl }),
        });
      expect((await send('https://10.1.2.3/hook')).statusCode).toBe(201);
      // Only the public-host rule is lifted: https and no credentials still hold.
      expect(errorCode(await send('http://10.1.2.3/hook'))).toBe('webhook_not_allowed');
    } finally {
      await h.dispose();
    }
  });
});
