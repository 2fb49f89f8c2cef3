import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlert, startAlert } from '../../src/services/alerts/compose.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { createPost } from '../../src/services/posts/posts.ts';
import { createRestriction } from '../../src/services/posts/restrictions.ts';
import { CBD, enrollTraveller, IN_CBD, withText } from '../support/alert-fixtures.ts';
import type { Caller } from '../support/api.ts';
import { backends } from '../support/context.ts';
import { type MailApp, startMailApp } from '../support/mail-app.ts';

describe.each(backends())('alert emails through the delivery engine on %s', (backend) => {
  let m: MailApp;
  let officer: Caller;
  let second: Caller;
  let alertId = '';
  const people: Record<string, { id: string; email: string }> = {};

  beforeAll(async () => {
    m = await startMailApp(backend);
    officer = await m.h.signIn('officer', ['country:IQ']);
    second = await m.h.signIn('crisis_manager');
    const post = await createPost(m.ctx, cliActor, {
      kind: 'embassy',
      name: 'Embassy Baghdad',
      city: 'Baghdad',
      country: 'IQ',
      location: { lat: 33.3, lon: 44.39 },
      district: { regions: ['IQ-BG', 'IQ-BA'] },
    });
    const { restriction } = await createRestriction(m.ctx, cliActor, post.id, {
      geometry: CBD,
      reason: 'Demonstrations.',
    });
    people.en = await enrollTraveller(m.ctx, IN_CBD);
    people.ar = await enrollTraveller(m.ctx, IN_CBD, { language: 'ar' });
    const start = await startAlert(m.ctx, cliActor, {
      from: 'restriction',
      id: restriction.id,
      kind: 'demonstration',
    });
    alertId = (await createAlert(m.ctx, cliActor, { content: withText(start.content), source: start.source }))
      .id;
  }, 60_000);
  afterAll(() => m?.close());

  // Each traveller first got their verification email (enrolled through the public service).
  const alertMails = async (email: string, n: number) =>
    (await m.mailsTo(email, n + 1)).filter((x) => (x.text ?? '').includes('/alerts/'));
  const call = (url: string, who: Caller, payload: Record<string, unknown> = {}) =>
    m.app.inject({ method: 'POST', url, headers: who.headers, payload });

  it('emails each recipient in their language, then the cancel', async () => {
    const submitted = (await call(`/api/alerts/${alertId}/submit`, officer)).json().alert;
    await call(`/api/alerts/${alertId}/approve`, second, { contentHash: submitted.contentHash });
    expect((await call(`/api/alerts/${alertId}/send`, officer)).json().messages).toBe(2);
    const [en] = await alertMails(people.en!.email, 1);
    expect(en?.subject).toContain('Demonstrations in Basrah');
    expect(en?.text).toContain(`/alerts/${alertId}`);
    const [ar] = await alertMails(people.ar!.email, 1);
    // No Arabic text: English under a note in Arabic.
    expect(ar?.text).toContain('Demonstrations in Basrah');
    const cancel = await call(`/api/alerts/${alertId}/cancel`, officer);
    expect(cancel.statusCode).toBe(200);
    const both = await alertMails(people.en!.email, 2);
    expect(both).toHaveLength(2);
    expect(both[1]?.subject).toMatch(/cancel/i);
  });
});
