import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Channel, createEmailChannel } from '../../src/channels/index.ts';
import type { Context } from '../../src/context.ts';
import { renderOutbox } from '../../src/services/enrollments/verification.ts';
import { listUnsubscribeHeaders } from '../../src/services/subscriptions/list-unsubscribe-links.ts';
import { DROPPED_GONE, manageToken } from '../../src/services/subscriptions/messages.ts';
import { expandPendingNotices, queueDailyDigests } from '../../src/services/subscriptions/notices.ts';
import { drainDeliveries } from '../../src/worker/deliveries.ts';
import { startSmtpServer, type TestSmtpServer } from '../channels/smtp-server.ts';
import { type ApiHarness, type Caller, createApiHarness } from '../support/api.ts';
import { backends } from '../support/context.ts';
import { capturedLogs } from '../support/log.ts';
import { dayFrom, subscriber, traveller } from './subscriptions-fixtures.ts';

type Json = Record<string, unknown>;

describe.each(backends())('advisory and posture fan-out on %s', (backend) => {
  let h: ApiHarness;
  let admin: Caller;
  let ctx: Context;
  const who: Record<string, string> = {};
  beforeAll(async () => {
    h = await createApiHarness(backend, { WARDEN_ENROLL_PER_IP_PER_10MIN: '1000' });
    ctx = h.ctx;
    admin = await h.signIn('admin');
    const now = dayFrom(ctx, 0);
    const soon = { arrival: dayFrom(ctx, 2), departure: dayFrom(ctx, 20) };
    // Who should hear about Iraq at once: an immediate subscriber and a traveller with a trip there.
    const a = await subscriber(ctx, { countries: ['IQ'], frequency: 'immediate' });
    who.subA = a.id;
    who.p1 = (await traveller(ctx, { trips: [{ country: 'IQ', wholeCountry: true, ...soon }] })).contactId;
    // A resident (no departure) counts too.
    who.p6 = (
      await traveller(ctx, { trips: [{ country: 'IQ', wholeCountry: true, arrival: now }] })
    ).contactId;
    // Subscribed and enrolled with one address: one message, as the subscriber chose.
    who.p4 = (
      await traveller(ctx, { email: a.email, trips: [{ country: 'IQ', wholeCountry: true, ...soon }] })
    ).contactId;
    // A traveller who gave only a phone hears by SMS; so does one whose email is not verified.
    // One with both verified hears once, by email.
    who.p8 = (
      await traveller(ctx, {
        email: null,
        phone: '+9647801112201',
        trips: [{ country: 'IQ', wholeCountry: true, ...soon }],
      })
    ).contactId;
    const both = await traveller(ctx, {
      phone: '+9647801112202',
      trips: [{ country: 'IQ', wholeCountry: true, ...soon }],
    });
    who.p9 = both.contactId;
    who.p9phone = both.phoneContactId!;
    who.p10 = (
      await traveller(ctx, {
        phone: '+9647801112203',
        verified: false,
        phoneVerified: true,
        trips: [{ country: 'IQ', wholeCountry: true, ...soon }],
      })
    ).phoneContactId!;
    // Nobody else: a phone not yet verified, a daily subscriber (digest), an unverified one, another country's, an
    // unverified traveller, an unsubscribed one, one whose trip is elsewhere.
    who.subB = (await subscriber(ctx, { countries: ['IQ', 'JO'], frequency: 'daily' })).id;
    await subscriber(ctx, { countries: ['IQ'], frequency: 'immediate', verified: false });
    await subscriber(ctx, { countries: ['FR'], frequency: 'immediate' });
    who.subE = (await subscriber(ctx, { countries: ['JO'], frequency: 'daily' })).id;
    await traveller(ctx, { trips: [{ country: 'IQ', wholeCountry: true, ...soon }], verified: false });
    await traveller(ctx, { trips: [{ country: 'IQ', wholeCountry: true, ...soon }], unsubscribed: true });
    await traveller(ctx, { trips: [{ country: 'KW', wholeCountry: true, ...soon }] });
    await traveller(ctx, {
      email: null,
      phone: '+9647801112204',
      verified: false,
      trips: [{ country: 'IQ', wholeCountry: true, ...soon }],
    });
    // Jordan: two immediate subscribers and a traveller.
    who.subF = (await subscriber(ctx, { countries: ['JO', 'IQ'], frequency: 'immediate' })).id;
    who.subG = (await subscriber(ctx, { countries: ['JO'], frequency: 'immediate' })).id;
    who.p7 = (await traveller(ctx, { trips: [{ country: 'JO', wholeCountry: true, ...soon }] })).contactId;
  });
  afterAll(() => h.dispose());

  const call = (method: 'POST' | 'PATCH', url: string, payload: Json) =>
    h.app.inject({ method, url, headers: admin.headers, payload });

  async function publish(country: string, edition: Json, c: Context = ctx): Promise<string> {
    const draft = await call('POST', `/api/advisories/${country}/editions`, edition);
    expect(draft.statusCode, draft.body).toBe(201);
    const id = draft.json().edition.id as string;
    if (c === ctx) {
      const res = await call('POST', `/api/advisory-editions/${id}/publish`, {});
      expect(res.statusCode, res.body).toBe(200);
    } else {
      const { publishEdition } = await import('../../src/services/advisories/editions.ts');
      const { cliActor } = await import('../../src/services/audit/audit.ts');
      await publishEdition(c, cliActor, id);
    }
    return id;
  }

  const noticeOf = (subjectId: string) =>
    ctx.store.db
      .selectFrom('advisory_notices')
      .selectAll()
      .where('subject_id', '=', subjectId)
      .executeTakeFirst();
  const messagesOf = async (noticeId: string) =>
    (
      await ctx.store.db
        .selectFrom('deliveries')
        .selectAll()
        .where('template', '=', 'advisory_notice')
        .where('dedupe_key', 'like', `n:${noticeId}:%`)
        .execute()
    ).sort((x, y) => String(x.dedupe_key).localeCompare(String(y.dedupe_key)));

  it('publishing a non-minor edition queues exactly one message per recipient, in the same write', async () => {
    const id = await publish('IQ', {
      level: 4,
      indicators: ['T', 'K'],
      summary: 'Do not travel to Iraq.',
      changeNote: 'Raised to level 4.',
    });
    const notice = await noticeOf(id);
    expect(notice).toMatchObject({ kind: 'advisory', country: 'IQ', recipients: 7 });
    expect(notice!.expanded_at).not.toBeNull();
    const rows = await messagesOf(notice!.id);
    const recipients = rows.map((r) => r.subscription_id ?? r.contact_id).sort();
    expect(recipients).toEqual([who.subA, who.subF, who.p1, who.p6, who.p8, who.p9, who.p10].sort());
    expect(rows).toHaveLength(7);
    expect(rows.every((r) => r.status === 'queued')).toBe(true);
    const sms = rows.filter((r) => r.channel === 'sms').map((r) => r.contact_id);
    expect(sms.sort()).toEqual([who.p8, who.p10].sort());
    expect(rows.filter((r) => r.channel === 'email')).toHaveLength(5);
    expect(rows.some((r) => r.contact_id === who.p4 || r.contact_id === who.p9phone)).toBe(false);
  });

  it('a minor edition notifies nobody', async () => {
    const before = await ctx.store.db.selectFrom('deliveries').select('id').execute();
    const id = await publish('IQ', { level: 4, summary: 'Do not travel to Iraq (link fixed).', minor: true });
    expect(await noticeOf(id)).toBeUndefined();
    const after = await ctx.store.db.selectFrom('deliveries').select('id').execute();
    expect(after.length).toBe(before.length);
  });

  it('a change of posture state is a notice for the country; a new post is not', async () => {
    const post = await call('POST', '/api/posts', {
      kind: 'consulate_general',
      name: 'Consulate General Basrah',
      city: 'Basrah',
      country: 'IQ',
      location: { lat: 30.51, lon: 47.81 },
      district: { regions: ['IQ-BA'] },
    });
    const postId = post.json().post.id as string;
    const change = (over: Json) =>
      call('POST', `/api/posts/${postId}/posture`, {
        state: 'authorized_departure',
        departure: { staff: 'authorized', family: 'authorized' },
        services: { citizenServices: true, visas: false, walkIn: false },
        reason: 'Protests turned violent.',
        reviewBy: '2099-01-01',
        statement: { text: 'Family members may leave Basrah.', by: 'Department of State' },
        ...over,
      });
    const res = await change({});
    expect(res.statusCode, res.body).toBe(201);
    const changeId = res.json().change.id as string;
    const notice = await noticeOf(changeId);
    expect(notice).toMatchObject({ kind: 'posture', country: 'IQ' });
    expect(JSON.parse(notice!.details)).toMatchObject({
      postName: 'Consulate General Basrah',
      state: 'authorized_departure',
      statement: 'Family members may leave Basrah.',
    });
    expect(await messagesOf(notice!.id)).toHaveLength(7);
    // Creating the post (its first, normal posture) told nobody.
    const postures = await ctx.store.db
      .selectFrom('advisory_notices')
      .select('id')
      .where('kind', '=', 'posture')
      .execute();
    expect(postures).toHaveLength(1);
  });

  it('a large fan-out is left to the scheduler, which expands it once however often it runs', async () => {
    const big: Context = {
      ...ctx,
      config: Object.freeze({
        ...ctx.config,
        subscriptions: { ...ctx.config.subscriptions, inlineRecipients: 2 },
      }),
    };
    const id = await publish(
      'JO',
      { level: 3, summary: 'Reconsider travel to Jordan.', changeNote: 'New.' },
      big,
    );
    const notice = (await noticeOf(id))!;
    expect(notice.expanded_at).toBeNull();
    expect(await messagesOf(notice.id)).toHaveLength(0);
    // Two expansions at once (two processes): the claim and the dedupe keys keep it to one each.
    const [x, y] = await Promise.all([
      expandPendingNotices(ctx, { page: 1 }),
      expandPendingNotices(ctx, { page: 1 }),
    ]);
    expect(x + y).toBe(3);
    const rows = await messagesOf(notice.id);
    expect(rows.map((r) => r.subscription_id ?? r.contact_id).sort()).toEqual(
      [who.subF, who.subG, who.p7].sort(),
    );
    expect(await noticeOf(id)).toMatchObject({ recipients: 3 });
    // Expanded again from scratch (a crash before it was marked done): nothing is queued twice.
    await ctx.store.db
      .updateTable('advisory_notices')
      .set({ expanded_at: null, expanding_at: null })
      .where('id', '=', notice.id)
      .execute();
    expect(await expandPendingNotices(ctx)).toBe(0);
    expect(await messagesOf(notice.id)).toHaveLength(3);
    expect(await expandPendingNotices(ctx)).toBe(0);
  });

  it('the daily digest groups the day’s notices per daily subscriber, once', async () => {
    const day = dayFrom(ctx, 0);
    const first = await queueDailyDigests(ctx, day);
    expect(first.notices).toBe(3); // Iraq advisory, Basrah posture, Jordan advisory
    expect(first.messages).toBe(2);
    const digests = await ctx.store.db
      .selectFrom('deliveries')
      .selectAll()
      .where('template', '=', 'advisory_digest')
      .execute();
    const bySub = new Map(
      digests.map((d) => [d.subscription_id, JSON.parse(d.params) as { notices: string[] }]),
    );
    expect(bySub.get(who.subB)?.notices).toHaveLength(3);
    expect(bySub.get(who.subE)?.notices).toHaveLength(1);
    expect(await queueDailyDigests(ctx, day)).toEqual({ notices: 3, messages: 0 });
    // A day without notices sends nothing.
    expect(await queueDailyDigests(ctx, dayFrom(ctx, -3))).toEqual({ notices: 0, messages: 0 });
  });

  it('renders an SMS notice for a phone-only traveller: what happened, the summary, the link', async () => {
    const rows = await ctx.store.db
      .selectFrom('deliveries')
      .selectAll()
      .where('template', '=', 'advisory_notice')
      .where('contact_id', '=', who.p8!)
      .orderBy('created_at')
      .execute();
    expect(rows.map((r) => r.channel)).toEqual(['sms', 'sms']); // the Iraq advisory, the Basrah posture
    const [advisory, posture] = await Promise.all(rows.slice(0, 2).map((r) => renderOutbox(ctx, r)));
    expect(advisory!.to).toBe('+9647801112201');
    expect(advisory!.text).toBe(
      `Iraq travel advisory: Level 4, Do not travel. Do not travel to Iraq. Trips and stop: ${ctx.config.publicUrl}/enroll/manage`,
    );
    expect(posture!.text).toMatch(
      /^Iraq: Consulate General Basrah is on authorized departure: non-emergency staff and family members may leave\. Family members may leave Basrah\. Trips and stop: /,
    );
    for (const m of [advisory!, posture!]) expect(m.text.length).toBeLessThanOrEqual(306);
    // The email sender leaves SMS to the SMS channel: still queued.
    await drainDeliveries(
      {
        ...ctx,
        email: {
          kind: 'email',
          send: async () => ({ kind: 'sent', providerId: 'x' }),
          close: async () => {},
        } as Channel,
      },
      { ids: [rows[0]!.id] },
    );
    const after = await ctx.store.db
      .selectFrom('deliveries')
      .select('status')
      .where('id', '=', rows[0]!.id)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('queued');
  });

  describe('rendered and sent by the outbox sender', () => {
    let smtp: TestSmtpServer;
    let channel: Channel;
    let mailer: Context;
    beforeAll(async () => {
      smtp = await startSmtpServer();
      channel = createEmailChannel({ url: smtp.url, from: 'Warden <no-reply@warden.example>', pool: false });
      mailer = { ...ctx, email: channel };
    });
    afterAll(async () => {
      await channel.close();
      await smtp.close();
    });

    it('sends a digest with every notice and a working manage link, and a notice to a traveller', async () => {
      const digest = await ctx.store.db
        .selectFrom('deliveries')
        .selectAll()
        .where('template', '=', 'advisory_digest')
        .where('subscription_id', '=', who.subB!)
        .executeTakeFirstOrThrow();
      const notice = await ctx.store.db
        .selectFrom('deliveries')
        .selectAll()
        .where('template', '=', 'advisory_notice')
        .where('contact_id', '=', who.p1!)
        .orderBy('created_at')
        .executeTakeFirstOrThrow();
      await drainDeliveries(mailer, { ids: [digest.id, notice.id] });
      const mails = await smtp.waitFor(2);
      const d = mails.find((m) => /updates for/.test(m.subject ?? ''))!;
      expect(d.subject).toContain('(3)');
      expect(d.text).toContain('Iraq travel advisory: Level 4, Do not travel');
      expect(d.text).toContain('Iraq: Consulate General Basrah is on authorized departure');
      expect(d.text).toContain('Family members may leave Basrah.');
      expect(d.text).toContain('Jordan travel advisory: Level 3, Reconsider travel');
      const token = /\/subscribe\/manage#token=([A-Za-z0-9_.-]+)/.exec(d.text ?? '')?.[1];
      expect(token).toBeDefined();
      const me = await h.app.inject({
        method: 'GET',
        url: '/api/public/subscriptions/me',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(me.json().subscription.countries).toEqual(['IQ', 'JO']);

      const t = mails.find((m) => m !== d)!;
      expect(t.subject).toBe('Iraq travel advisory: Level 4, Do not travel');
      expect(t.text).toContain('Risks: Terrorism, Kidnapping or hostage taking.');
      expect(t.text).toContain('What changed: Raised to level 4.');
      expect(t.text).toContain(`${ctx.config.publicUrl}/enroll/manage`);
      const sent = await ctx.store.db
        .selectFrom('deliveries')
        .select('status')
        .where('id', 'in', [digest.id, notice.id])
        .execute();
      expect(sent.map((s) => s.status)).toEqual(['sent', 'sent']);
      unsubscribeLinks.subscriber = oneClick(d);
      unsubscribeLinks.traveller = oneClick(t);
    });

    /** The one-click unsubscribe link of a mail (RFC 8058), checked to be offered as one-click. */
    const oneClick = (m: ParsedMail): string => {
      const header = (name: string) =>
        m.headerLines
          .find((h) => h.key === name)
          ?.line.replace(/\r?\n[ \t]+/g, ' ')
          .replace(/^[^:]+:\s*/, '');
      expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      const url = /^<([^>]+)>$/.exec(header('list-unsubscribe') ?? '')?.[1];
      expect(url).toMatch(
        new RegExp(`^${ctx.config.publicUrl}/api/public/unsubscribe\\?token=[A-Za-z0-9_.-]+$`),
      );
      return url!.slice(ctx.config.publicUrl.length);
    };
    const unsubscribeLinks: { subscriber?: string; traveller?: string } = {};
    const form = { 'content-type': 'application/x-www-form-urlencoded' };

    it('unsubscribes a subscriber in one click from the mail header, the same answer every time', async () => {
      const url = unsubscribeLinks.subscriber!;
      // Opening the link shows a button and changes nothing (link scanners open links).
      const view = await h.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(view.statusCode).toBe(200);
      expect(view.headers['content-type']).toContain('text/html');
      expect(view.body).toContain('data-testid="unsubscribe-button"');
      expect(view.body).toContain('subscription will be deleted');
      const still = await ctx.store.db.selectFrom('subscriptions').select('id').where('id', '=', who.subB!);
      expect(await still.execute()).toHaveLength(1);

      const before = capturedLogs.length;
      for (let i = 0; i < 2; i++) {
        const res = await h.app.inject({
          method: 'POST',
          url,
          headers: form,
          payload: 'List-Unsubscribe=One-Click',
        });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toEqual({ status: 'unsubscribed' });
      }
      expect(await still.execute()).toHaveLength(0);
      // The token in the link never reaches the log.
      const token = url.slice(url.indexOf('token=') + 'token='.length);
      const logs = capturedLogs.slice(before).join('\n');
      expect(logs).toContain('token=[redacted]');
      expect(logs).not.toContain(token);
      const audit = await ctx.store.db
        .selectFrom('audit_log')
        .select(['action', 'summary'])
        .where('target', '=', `subscription:${who.subB}`)
        .where('action', '=', 'subscription.unsubscribe')
        .execute();
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0]!.summary)).toMatchObject({
        via: 'list-unsubscribe',
        subscriptions: 1,
      });
    });

    it('stops a traveller’s messages in one click (the enrollment stays); a browser gets a page', async () => {
      const url = unsubscribeLinks.traveller!;
      expect((await h.app.inject({ method: 'GET', url })).body).toContain('Your trips stay on record');
      const res = await h.app.inject({
        method: 'POST',
        url,
        headers: { ...form, accept: 'text/html,application/xhtml+xml' },
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('You are unsubscribed');
      const person = await ctx.store.db
        .selectFrom('enrollments as e')
        .innerJoin('enrollment_contacts as c', 'c.person_id', 'e.id')
        .select(['e.unsubscribed_at'])
        .where('c.id', '=', who.p1!)
        .executeTakeFirstOrThrow();
      expect(person.unsubscribed_at).not.toBeNull();
      // A notice queued before the click is not sent after it.
      const queued = await ctx.store.db
        .selectFrom('deliveries')
        .select('id')
        .where('contact_id', '=', who.p1!)
        .where('template', '=', 'advisory_notice')
        .where('status', '=', 'queued')
        .execute();
      expect(queued.length).toBeGreaterThan(0);
      const mails = smtp.messages.length;
      await drainDeliveries(mailer, { ids: queued.map((q) => q.id) });
      const after = await ctx.store.db
        .selectFrom('deliveries')
        .select(['status', 'last_error'])
        .where(
          'id',
          'in',
          queued.map((q) => q.id),
        )
        .execute();
      expect(after.every((r) => r.status === 'dropped' && r.last_error === DROPPED_GONE)).toBe(true);
      expect(smtp.messages.length).toBe(mails);
    });

    it('refuses a forged or mistyped link, and takes no other body', async () => {
      const url = unsubscribeLinks.traveller!;
      const forged = `${url.slice(0, -3)}${url.endsWith('AAA') ? 'BBB' : 'AAA'}`;
      const post = await h.app.inject({
        method: 'POST',
        url: forged,
        headers: form,
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(post.statusCode).toBe(401);
      expect(post.json().error.code).toBe('invalid_token');
      const view = await h.app.inject({ method: 'GET', url: forged });
      expect(view.statusCode).toBe(401);
      expect(view.body).toContain('This link does not work');
      const missing = await h.app.inject({
        method: 'POST',
        url: '/api/public/unsubscribe',
        headers: form,
        payload: '',
      });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.code).toBeDefined();
      const big = await h.app.inject({ method: 'POST', url, headers: form, payload: 'x'.repeat(10_000) });
      expect(big.statusCode).toBe(413);
      expect(big.json().error.code).toBeDefined();
      // A manage-page token is not an unsubscribe token.
      const manage = manageToken(ctx, who.subA!);
      const other = await h.app.inject({
        method: 'POST',
        url: `/api/public/unsubscribe?token=${manage}`,
        headers: form,
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(other.statusCode).toBe(401);
      expect(other.json().error.code).toBe('invalid_token');
      // A body that is not a form (nor text or JSON) is refused with the error format, and
      // unsubscribes nobody.
      const fresh = /<([^>]+)>/.exec(
        listUnsubscribeHeaders(ctx, { subscriptionId: who.subA! })['List-Unsubscribe']!,
      )![1]!;
      const text = await h.app.inject({
        method: 'POST',
        url: fresh.slice(ctx.config.publicUrl.length),
        headers: { 'content-type': 'application/xml' },
        payload: '<unsubscribe/>',
      });
      expect(text.statusCode).toBe(415);
      expect(text.json().error.code).toBeDefined();
      expect(
        await ctx.store.db.selectFrom('subscriptions').select('id').where('id', '=', who.subA!).execute(),
      ).toHaveLength(1);
    });
  });
});
