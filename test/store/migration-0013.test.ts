import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrateTo, migrateToLatest } from '../../src/store/migrate.ts';
import { backends, createTestDatabase, TEST_SECRET, type TestDatabase } from '../support/context.ts';

describe.each(backends())('migration 0013 makes contacts unique per controller on %s', (backend) => {
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

  it('keeps every contact, names its owner, and lets a second controller hold the same address', async () => {
    await migrateTo(store.db, backend, '0012_seal_webhook', { secretKey: TEST_SECRET });
    const at = '2026-11-01T00:00:00.000Z';
    const db = store.db;
    await db
      .insertInto('organisations')
      .values({
        id: 'o1',
        name: 'Org',
        name_key: 'org',
        notes: null,
        created_at: at,
        created_by: 'cli',
        updated_at: at,
        disabled_at: null,
      })
      .execute();
    const person = (id: string, org: string | null) =>
      db
        .insertInto('enrollments')
        .values({
          id,
          name_enc: 'x',
          language: 'en',
          emergency_name_enc: 'x',
          consent_at: at,
          created_at: at,
          updated_at: at,
          organisation_id: org,
          external_id: org ? id : null,
        } as never)
        .execute();
    const contact = (id: string, personId: string, blind: string, owner?: string) =>
      db
        .insertInto('enrollment_contacts')
        .values({
          id,
          person_id: personId,
          kind: 'email',
          value_enc: 'x',
          blind_index: blind,
          verified_at: at,
          verify_version: 0,
          created_at: at,
          ...(owner && { owner }),
        } as never)
        .execute();
    await person('self1', null);
    await person('org1', 'o1');
    await person('org2', 'o1');
    await contact('c1', 'self1', 'a'.repeat(32));
    await contact('c2', 'org1', 'b'.repeat(32));
    await migrateToLatest(db, backend, { secretKey: TEST_SECRET });

    const rows = await db.selectFrom('enrollment_contacts').select(['id', 'owner']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'c1', owner: 'self' },
      { id: 'c2', owner: 'o1' },
    ]);
    // The self-enrolled address, held by the organisation too: allowed now.
    await contact('c3', 'org2', 'a'.repeat(32), 'o1');
    // Twice within one controller: still refused.
    await expect(contact('c4', 'org2', 'b'.repeat(32), 'o1')).rejects.toThrow();
    // Foreign key to enrollments kept: a person's contacts go with them.
    await db.deleteFrom('enrollments').where('id', '=', 'org2').execute();
    expect(
      (await db.selectFrom('enrollment_contacts').select('id').execute()).map((r) => r.id).sort(),
    ).toEqual(['c1', 'c2']);
  });
});
