import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDraft, publishEdition } from '../../src/services/advisories/editions.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { eraseMine } from '../../src/services/enrollments/self.ts';
import {
  createOrganisation,
  createOrganisationToken,
} from '../../src/services/organisations/organisations.ts';
import { drainDeliveries } from '../../src/worker/deliveries.ts';
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const A = day(3);

/** Issue 11, item 9: what an organisation could learn about people it does not control. */
describe.each(backends())('organisation-facing leaks on %s', (backend) => {
  let h: ApiHarness;
  let crisis: Caller;
  const orgs = { tigris: '', euphrates: '' };
  const tokens = { tigris: '', euphrates: '' };

  beforeAll(async () => {
    h = await createApiHarness(backend);
    crisis = await h.signIn('crisis_manager');
    for (const name of ['tigris', 'euphrates'] as const) {
      orgs[name] = (await createOrganisation(h.ctx, cliActor, { name })).id;
      tokens[name] = (await createOrganisationToken(h.ctx, cliActor, orgs[name], 't')).secret;
    }
  });
  afterAll(() => h.dispose());

  const importCsv = async (org: keyof typeof orgs, lines: string[]) => {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/organisations/${orgs[org]}/imports`,
      headers: { ...crisis.headers, 'content-type': 'text/csv' },
      payload: lines.join('\n'),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().report as {
      created: number;
      updated: number;
      unchanged: number;
      errors: Array<Record<string, string>>;
    };
  };
  const personId = async (org: keyof typeof orgs, externalId: string) =>
    (
      await h.ctx.store.db
        .selectFrom('enrollments')
        .select('id')
        .where('organisation_id', '=', orgs[org])
        .where('external_id', '=', externalId)
        .executeTakeFirst()
    )?.id;
  const outboxFor = async (template: string) =>
    h.ctx.store.db
      .selectFrom('deliveries')
      .select(['person_id', 'template'])
      .where('template', '=', template)
      .execute();

  it('a contact enrolled elsewhere is neither refused nor revealed: each controller keeps its own', async () => {
    // The traveller enrolled themself first.
    const self = await h.app.inject({
      method: 'POST',
      url: '/api/public/enrollments',
      payload: {
        name: 'Amal Haddad',
        email: 'amal@example.org',
        language: 'en',
        emergencyContact: { name: 'Rana' },
        consent: true,
        trips: [{ country: 'IQ', wholeCountry: true, arrival: A }],
      },
    });
    expect(self.statusCode).toBe(202);
    // Two organisations enroll the same address: both succeed, and nothing says it was known.
    for (const org of ['tigris', 'euphrates'] as const) {
      const r = await importCsv(org, [
        'external_id,name,email,country,arrival',
        `P1,Amal Haddad,amal@example.org,IQ,${A}`,
      ]);
      expect(r).toMatchObject({ created: 1, errors: [] });
      const read = await h.app.inject({
        method: 'GET',
        url: '/api/org/enrollments/P1',
        headers: { authorization: `Bearer ${tokens[org]}` },
      });
      expect(read.json().enrollment.contacts).toEqual([
        { kind: 'email', value: 'amal@example.org', verified: true },
      ]);
    }
    // Within one organisation an address is still one person (its own data: saying so leaks nothing).
    const own = await importCsv('tigris', [
      'external_id,name,email,country,arrival',
      `P2,Someone Else,amal@example.org,IQ,${A}`,
    ]);
    expect(own.errors.map((e) => [e.externalId, e.code])).toEqual([['P2', 'contact_taken']]);
    expect(own.errors[0]!.reason).toContain('another of your people');

    // The person can manage each enrollment: one message per enrollment of the address.
    const before = (await outboxFor('manage_link')).length + (await outboxFor('verify_email')).length;
    await h.app.inject({
      method: 'POST',
      url: '/api/public/manage-link',
      payload: { email: 'amal@example.org' },
    });
    // Looked up after the answer, by the delivery worker.
    await drainDeliveries(h.ctx);
    const after = (await outboxFor('manage_link')).length + (await outboxFor('verify_email')).length;
    expect(after - before).toBe(3);

    // A notice reaches the address once, however many controllers enrolled it.
    const draft = await createDraft(h.ctx, cliActor, 'IQ', {
      level: 4,
      summary: 'Do not travel.',
      changeNote: 'New.',
    });
    await publishEdition(h.ctx, cliActor, draft.id);
    const notices = await h.ctx.store.db
      .selectFrom('deliveries')
      .select(['person_id', 'dedupe_key'])
      .where('template', '=', 'advisory_notice')
      .execute();
    const ours = [await personId('tigris', 'P1'), await personId('euphrates', 'P1')];
    expect(notices.filter((n) => ours.includes(n.person_id ?? ''))).toHaveLength(1);
  });

  it('a person who deleted themselves is not brought back by a re-import, unless asked', async () => {
    const file = (reEnroll?: string) => [
      `external_id,name,email,country,arrival${reEnroll === undefined ? '' : ',re_enroll'}`,
      `G1,Gone Person,gone@tigris.example,IQ,${A}${reEnroll === undefined ? '' : `,${reEnroll}`}`,
    ];
    expect((await importCsv('tigris', file())).created).toBe(1);
    const id = (await personId('tigris', 'G1'))!;
    await eraseMine(h.ctx, { principal: null, requestId: null, label: 'traveller' }, id);
    expect(await personId('tigris', 'G1')).toBeUndefined();
    // What is kept: a keyed hash, nothing that names the person.
    const stones = await h.ctx.store.db.selectFrom('organisation_tombstones').selectAll().execute();
    expect(stones).toEqual([
      {
        organisation_id: orgs.tigris,
        external_hash: expect.stringMatching(/^[0-9a-f]{32}$/),
        erased_at: expect.any(String),
      },
    ]);

    const again = await importCsv('tigris', file());
    expect(again.created).toBe(0);
    expect(again.errors.map((e) => [e.externalId, e.field, e.code])).toEqual([
      ['G1', 'external_id', 'erased_by_person'],
    ]);
    expect(await personId('tigris', 'G1')).toBeUndefined();
    // Another organisation's G1 is another person.
    expect((await importCsv('euphrates', file())).created).toBe(1);
    // A value that is not yes or no refuses the person; yes brings them back, once.
    expect((await importCsv('tigris', file('maybe'))).errors.map((e) => e.code)).toContain('invalid_value');
    expect((await importCsv('tigris', file('yes'))).created).toBe(1);
    expect((await importCsv('tigris', file())).unchanged).toBe(1);

    // The organisation's API alike: refused, then enrolled again with reEnroll.
    await eraseMine(
      h.ctx,
      { principal: null, requestId: null, label: 'traveller' },
      (await personId('tigris', 'G1'))!,
    );
    const body = (reEnroll?: boolean) => ({
      externalId: 'G1',
      name: 'Gone Person',
      email: 'gone@tigris.example',
      trips: [{ country: 'IQ', wholeCountry: true, arrival: A }],
      ...(reEnroll !== undefined && { reEnroll }),
    });
    const post = (b: Record<string, unknown>) =>
      h.app.inject({
        method: 'POST',
        url: '/api/org/enrollments',
        headers: { authorization: `Bearer ${tokens.tigris}` },
        payload: b,
      });
    const refused = await post(body());
    expect(refused.statusCode).toBe(409);
    expect(errorCode(refused)).toBe('erased_by_person');
    expect((await post(body(true))).statusCode).toBe(201);
    // The organisation deleting its own person leaves no tombstone: that was its choice.
    const del = await h.app.inject({
      method: 'DELETE',
      url: '/api/org/enrollments/G1',
      headers: { authorization: `Bearer ${tokens.tigris}` },
    });
    expect(del.statusCode).toBeLessThan(300);
    expect((await post(body())).statusCode).toBe(201);
    expect(await h.ctx.store.db.selectFrom('organisation_tombstones').selectAll().execute()).toEqual([]);
  });
});
