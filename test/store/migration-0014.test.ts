import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrateTo, migrateToLatest } from '../../src/store/migrate.ts';
import { backends, createTestDatabase, TEST_SECRET, type TestDatabase } from '../support/context.ts';

describe.each(backends())('migration 0014 turns the outbox into deliveries on %s', (backend) => {
  let database: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    store = openStore(database.database);
  });
  afterAll(async () => {
    await store.destroy();
    await database.drop();
  });

  it('carries every row over: queued ones due at once with a priority by template, sent ones final', async () => {
    await migrateTo(store.db, backend, '0013_contact_owner_tombstones', { secretKey: TEST_SECRET });
    const row = (id: string, template: string, status: string, sentAt: string | null) => ({
      id,
      channel: 'email',
      template,
      person_id: null,
      contact_id: null,
      subscription_id: `s-${id}`,
      dedupe_key: `d-${id}`,
      params: '{}',
      status,
      attempts: status === 'sent' ? 1 : 0,
      last_error: null,
      created_at: '2026-11-01T00:00:00.000Z',
      sent_at: sentAt,
    });
    const rows = [
      row('m1', 'advisory_notice', 'queued', null),
      row('m2', 'advisory_digest', 'queued', null),
      row('m3', 'verify_email', 'sent', '2026-11-01T00:00:05.000Z'),
      row('m4', 'confirm_presence', 'failed', null),
    ];
    for (const r of rows)
      await sql`insert into outbox (id, channel, template, person_id, contact_id, subscription_id, dedupe_key,
        params, status, attempts, last_error, created_at, sent_at) values (${r.id}, ${r.channel}, ${r.template},
        ${r.person_id}, ${r.contact_id}, ${r.subscription_id}, ${r.dedupe_key}, ${r.params}, ${r.status},
        ${r.attempts}, ${r.last_error}, ${r.created_at}, ${r.sent_at})`.execute(store.db);
    await migrateToLatest(store.db, backend, { secretKey: TEST_SECRET });
    const after = await store.db.selectFrom('deliveries').selectAll().orderBy('id').execute();
    expect(after.map((r) => [r.id, r.status, r.priority, r.next_attempt_at, r.finished_at])).toEqual([
      ['m1', 'queued', 50, '2026-11-01T00:00:00.000Z', null],
      ['m2', 'queued', 10, '2026-11-01T00:00:00.000Z', null],
      ['m3', 'sent', 70, null, '2026-11-01T00:00:05.000Z'],
      ['m4', 'failed', 30, null, null],
    ]);
    expect(after.every((r) => r.possible_duplicate === 0 && r.retention === 'routine')).toBe(true);
    // The dedupe key is still unique.
    await expect(
      store.db
        .insertInto('deliveries')
        .values({ ...rows[0]!, id: 'm9' })
        .execute(),
    ).rejects.toThrow();
  });
});
