import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blindIndex, derivePrivacyKeys } from '../../src/domain/privacy/index.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrateTo, migrateToLatest } from '../../src/store/migrate.ts';
import { backends, createTestDatabase, TEST_SECRET, type TestDatabase } from '../support/context.ts';

const keys = derivePrivacyKeys(TEST_SECRET);
/** A blind index as written before migration 0010: the whole HMAC-SHA256. */
const fullIndex = (kind: 'email' | 'phone', normal: string) =>
  createHmac('sha256', keys.blindIndex).update(`${kind}:${normal}`).digest('hex');

describe.each(backends())('migrations on %s', (backend) => {
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

  it('0010 keeps blind indexes findable by their new 128-bit form and re-keys the trips index', async () => {
    await migrateTo(store.db, backend, '0009_organisations');
    const at = '2026-11-01T00:00:00.000Z';
    const db = store.db;
    await db
      .insertInto('enrollments')
      .values({
        id: 'p1',
        name_enc: 'x',
        language: 'en',
        emergency_name_enc: 'x',
        consent_at: at,
        created_at: at,
        updated_at: at,
      } as never)
      .execute();
    await db
      .insertInto('enrollment_contacts')
      .values([
        {
          id: 'c1',
          person_id: 'p1',
          kind: 'email',
          value_enc: 'x',
          blind_index: fullIndex('email', 'amal@example.org'),
          verify_version: 0,
          created_at: at,
        },
        {
          id: 'c2',
          person_id: 'p1',
          kind: 'phone',
          value_enc: 'x',
          blind_index: fullIndex('phone', '+9647801234567'),
          verify_version: 0,
          created_at: at,
        },
      ] as never)
      .execute();
    await db
      .insertInto('subscriptions')
      .values({
        id: 's1',
        email_enc: 'x',
        blind_index: fullIndex('email', 'amal@example.org'),
        frequency: 'immediate',
        language: 'en',
        verify_version: 0,
        created_at: at,
        updated_at: at,
      } as never)
      .execute();

    const { results = [] } = await migrateToLatest(db, backend);
    expect(results.map((r) => [r.migrationName, r.status])).toContainEqual([
      '0010_enrollment_write_cost',
      'Success',
    ]);

    const email = blindIndex(keys.blindIndex, 'email', ' Amal@Example.org ')!;
    const phone = blindIndex(keys.blindIndex, 'phone', '+964 780 123 4567')!;
    expect(email).toMatch(/^[0-9a-f]{32}$/);
    expect(email).toBe(fullIndex('email', 'amal@example.org').slice(0, 32));
    const found = await db
      .selectFrom('enrollment_contacts')
      .select('id')
      .where('blind_index', 'in', [email, phone])
      .orderBy('id')
      .execute();
    expect(found.map((r) => r.id)).toEqual(['c1', 'c2']);
    const sub = await db.selectFrom('subscriptions').select('id').where('blind_index', '=', email).execute();
    expect(sub.map((r) => r.id)).toEqual(['s1']);

    // Still one contact per blind index.
    await expect(
      db
        .insertInto('enrollment_contacts')
        .values({
          id: 'c3',
          person_id: 'p1',
          kind: 'email',
          value_enc: 'x',
          blind_index: email,
          verify_version: 0,
          created_at: at,
        } as never)
        .execute(),
    ).rejects.toThrow(/unique|UNIQUE/);

    const indexes =
      backend === 'postgres'
        ? (
            await sql<{ name: string }>`select indexname as name from pg_indexes
              where tablename = 'enrollment_trips'`.execute(db)
          ).rows
        : (
            await sql<{ name: string }>`select name from sqlite_master
              where type = 'index' and tbl_name = 'enrollment_trips'`.execute(db)
          ).rows;
    const names = indexes.map((r) => r.name);
    expect(names).toContain('enrollment_trips_region_idx');
    expect(names).not.toContain('enrollment_trips_country_idx');
  });
});
