import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivePrivacyKeys, PersonCipher } from '../../src/domain/privacy/index.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrateTo, migrateToLatest } from '../../src/store/migrate.ts';
import { backends, createTestDatabase, TEST_SECRET, type TestDatabase } from '../support/context.ts';

describe.each(backends())('migration 0012 seals webhook URLs on %s', (backend) => {
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

  it('carries existing URLs over, sealed with each person’s key, and drops the plaintext column', async () => {
    await migrateTo(store.db, backend, '0011_audit_keyed');
    const { kek } = derivePrivacyKeys(TEST_SECRET);
    const at = '2026-11-01T00:00:00.000Z';
    const people = ['p1', 'p2', 'p3'];
    for (const id of people) {
      const { wrappedKey } = PersonCipher.create(kek, id);
      await store.db
        .insertInto('enrollments')
        .values({
          id,
          name_enc: 'x',
          language: 'en',
          emergency_name_enc: 'x',
          webhook_url: id === 'p3' ? null : `https://hooks.example.org/${id}`,
          consent_at: at,
          created_at: at,
          updated_at: at,
        } as never)
        .execute();
      await store.db
        .insertInto('enrollment_keys')
        .values({ person_id: id, wrapped_key: wrappedKey, created_at: at })
        .execute();
    }
    await expect(migrateToLatest(store.db, backend)).rejects.toThrow(/WARDEN_SECRET_KEY/);
    await migrateToLatest(store.db, backend, { secretKey: TEST_SECRET });

    const rows = await store.db
      .selectFrom('enrollments')
      .innerJoin('enrollment_keys', 'enrollment_keys.person_id', 'enrollments.id')
      .selectAll()
      .orderBy('id')
      .execute();
    expect(rows.map((r) => 'webhook_url' in r)).toEqual([false, false, false]);
    const opened = rows.map((r) =>
      r.webhook_url_enc === null
        ? null
        : PersonCipher.open(kek, r.id, r.wrapped_key).decrypt('webhookUrl', r.webhook_url_enc),
    );
    expect(opened).toEqual(['https://hooks.example.org/p1', 'https://hooks.example.org/p2', null]);
  });
});
