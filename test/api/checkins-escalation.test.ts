import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../src/domain/alerts/record.ts';
import { channelOfContact } from '../../src/domain/deliveries/model.ts';
import { blindIndex } from '../../src/domain/privacy/index.ts';
import { enqueueAlert, renderAlertDelivery } from '../../src/services/alerts/deliver.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { recordAnswer } from '../../src/services/checkins/answers.ts';
import { escalateCheckins, renderEmergencyContact } from '../../src/services/checkins/escalation.ts';
import { enroll } from '../../src/services/enrollments/enrollments.ts';
import { insertAlert, insertRecipients } from '../../src/store/alerts/alerts.ts';
import { DEMONSTRATION, sentAlert } from '../fixtures/alerts/basrah.ts';
import { type ApiHarness, createApiHarness } from '../support/api.ts';
import { backends } from '../support/context.ts';

const MIN = 60_000;

describe.each(backends())('check-in escalation on %s', (backend) => {
  let h: ApiHarness;
  const alertId = 'a-escalation';
  const person: Record<string, string> = {};
  let t0 = 0;

  beforeAll(async () => {
    h = await createApiHarness(backend);
    t0 = Date.parse('2026-12-08T06:00:00.000Z');
    h.ctx.clock.set(new Date(t0));
    const admin = await h.signIn('admin');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/posts',
      headers: admin.headers,
      payload: {
        kind: 'consulate_general',
        name: 'Consulate General Basrah',
        city: 'Basrah',
        country: 'IQ',
        location: { lat: 30.51, lon: 47.81 },
        district: { regions: ['IQ-BA'] },
        contact: { phone: '+964 760 030 3000' },
      },
    });
    const postId = res.json().post.id as string;
    await h.app.inject({
      method: 'PUT',
      url: `/api/posts/${postId}/checkin-settings`,
      headers: admin.headers,
      payload: { dutyEmail: null, escalation: { repeatAfterMinutes: [30], notifyEmergencyContact: true } },
    });
    const db = h.ctx.store.db;
    const people = [
      { name: 'Quiet Person', email: 'quiet@example.org', phone: '+9647701000011', ec: 'mum@example.org' },
      { name: 'Prompt Person', email: 'prompt@example.org' },
    ];
    for (const p of people) {
      await enroll(
        h.ctx,
        cliActor,
        {
          name: p.name,
          email: p.email,
          ...(p.phone && { phone: p.phone }),
          language: 'en',
          emergencyContact: { name: 'Mum', ...(p.ec && { email: p.ec }) },
          consent: true,
          trips: [{ country: 'IQ', wholeCountry: true, arrival: '2026-12-01' }],
        },
        '127.0.0.1',
      );
      const idx = blindIndex(h.ctx.privacy.blindIndex, 'email', p.email) as string;
      person[p.email] = (
        await db
          .selectFrom('enrollment_contacts')
          .select('person_id')
          .where('blind_index', '=', idx)
          .executeTakeFirstOrThrow()
      ).person_id;
    }
    await db
      .updateTable('enrollment_contacts')
      .set({ verified_at: new Date(t0).toISOString() })
      .execute();
    const alert: AlertRecord = {
      ...sentAlert(
        { id: alertId, sentAt: new Date(t0).toISOString() },
        {
          postId,
          checkIn: { requested: true, deadline: new Date(t0 + 60 * MIN).toISOString() },
          cap: {
            ...DEMONSTRATION.cap,
            effective: new Date(t0).toISOString(),
            expires: new Date(t0 + 1440 * MIN).toISOString(),
          },
        },
      ),
      source: null,
      rootId: alertId,
      country: 'IQ',
      countries: ['IQ'],
      recipientCount: 2,
    };
    await insertAlert(db, alert);
    await insertRecipients(
      db,
      alertId,
      Object.values(person).map((personId) => ({ personId, precision: 'country' as const })),
    );
    const contacts = await db
      .selectFrom('enrollment_contacts')
      .select(['id', 'person_id', 'kind'])
      .orderBy('kind')
      .execute();
    await enqueueAlert(
      h.ctx,
      db,
      alert,
      contacts.map((c) => ({
        personId: c.person_id,
        contactId: c.id,
        channel: channelOfContact(c.kind),
      })),
    );
    // The first render makes the alert's check-in row (reply code, the post's escalation settings).
    const first = await db
      .selectFrom('deliveries')
      .selectAll()
      .where('message_ref', '=', `alert:${alertId}`)
      .executeTakeFirstOrThrow();
    await renderAlertDelivery(h.ctx, first);
  });
  afterAll(() => h.dispose());

  const repeats = () =>
    h.ctx.store.db
      .selectFrom('deliveries')
      .select(['person_id', 'channel', 'params', 'priority'])
      .where('dedupe_key', 'like', `alert:${alertId}:repeat:%`)
      .execute();
  const at = (minutes: number) => h.ctx.clock.set(new Date(t0 + minutes * MIN));

  it('asks again when due, on the next channel, only those who have not answered', async () => {
    at(10);
    expect(await escalateCheckins(h.ctx)).toEqual({ repeats: 0, emergencyContacts: 0 });
    await recordAnswer(h.ctx, cliActor, {
      alertId,
      personId: person['prompt@example.org'] as string,
      answer: 'safe',
      channel: 'email',
    });
    at(31);
    expect(await escalateCheckins(h.ctx)).toEqual({ repeats: 1, emergencyContacts: 0 });
    const sent = await repeats();
    expect(sent).toHaveLength(1);
    // The alert went first by email, then SMS: the repeat takes the next one.
    expect(sent[0]).toMatchObject({ person_id: person['quiet@example.org'], channel: 'sms', priority: 85 });
    expect(await escalateCheckins(h.ctx)).toEqual({ repeats: 0, emergencyContacts: 0 });
    const audit = await h.ctx.store.db
      .selectFrom('audit_log')
      .select('summary')
      .where('action', '=', 'checkin.escalate')
      .execute();
    expect(audit.map((a) => JSON.parse(a.summary))).toEqual([{ repeats: 1, emergencyContacts: 0 }]);
  });

  it('tells the emergency contact after the deadline, once, and stops when the person answers', async () => {
    at(61);
    expect(await escalateCheckins(h.ctx)).toEqual({ repeats: 0, emergencyContacts: 1 });
    expect(await escalateCheckins(h.ctx)).toEqual({ repeats: 0, emergencyContacts: 0 });
    const row = await h.ctx.store.db
      .selectFrom('deliveries')
      .selectAll()
      .where('template', '=', 'checkin_emergency_contact')
      .executeTakeFirstOrThrow();
    const mail = await renderEmergencyContact(h.ctx, row);
    expect(mail).toMatchObject({ to: 'mum@example.org', subject: 'We are trying to reach Quiet Person' });
    expect(JSON.stringify(mail)).toContain('+964 760 030 3000');

    await recordAnswer(h.ctx, cliActor, {
      alertId,
      personId: person['quiet@example.org'] as string,
      answer: 'safe',
      channel: 'sms',
    });
    expect(await renderEmergencyContact(h.ctx, row)).toEqual({ drop: 'answered' });
  });

  it('stops taking SMS codes once the alert is cancelled', async () => {
    await h.ctx.store.db
      .updateTable('alerts')
      .set({ state: 'cancelled' })
      .where('id', '=', alertId)
      .execute();
    await escalateCheckins(h.ctx);
    const row = await h.ctx.store.db
      .selectFrom('alert_checkins')
      .select('open')
      .where('alert_id', '=', alertId)
      .executeTakeFirstOrThrow();
    expect(row.open).toBe(0);
  });

  it('keeps answers as long as the delivery evidence, then deletes every check-in row of the alert', async () => {
    const { purgeCheckins } = await import('../../src/services/checkins/retention.ts');
    const days = h.ctx.config.retention.securityMessageDays;
    expect(await purgeCheckins(h.ctx, new Date(t0 + (days - 1) * 1440 * MIN))).toEqual({
      alerts: 0,
      answers: 0,
    });
    expect(await purgeCheckins(h.ctx, new Date(t0 + (days + 1) * 1440 * MIN))).toEqual({
      alerts: 1,
      answers: 2,
    });
    for (const table of [
      'checkin_answers',
      'checkin_latest',
      'checkin_escalations',
      'alert_checkins',
    ] as const) {
      const rows = await h.ctx.store.db
        .selectFrom(table)
        .selectAll()
        .where('alert_id', '=', alertId)
        .execute();
      expect(rows, table).toEqual([]);
    }
  });
});
