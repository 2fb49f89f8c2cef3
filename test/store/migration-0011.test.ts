import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH, verifyChain } from '../../src/domain/audit/chain.ts';
import { deriveKey } from '../../src/domain/crypto.ts';
import { readAuditLog } from '../../src/store/audit/audit.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrateTo, migrateToLatest } from '../../src/store/migrate.ts';
import { backends, createTestDatabase, TEST_SECRET, type TestDatabase } from '../support/context.ts';

describe.each(backends())('migration 0011 keys an existing audit chain on %s', (backend) => {
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

  it('keeps the legacy entries verifiable and binds their head with a keyed marker', async () => {
    await migrateTo(store.db, backend, '0010_enrollment_write_cost');
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= 4; seq++) {
      const e = {
        at: '2026-01-01T00:00:00.000Z',
        actor: 'cli',
        action: 'old',
        target: null,
        summary: { seq },
        requestId: null,
      };
      const hash = entryHash(seq, e, prev);
      await store.db
        .insertInto('audit_log')
        .values({
          seq,
          at: e.at,
          actor: e.actor,
          action: e.action,
          target: null,
          summary: JSON.stringify(e.summary),
          request_id: null,
          prev_hash: prev,
          hash,
        } as never)
        .execute();
      prev = hash;
    }
    // Without the secret key it refuses, and changes nothing (so it can run again with the key).
    await expect(migrateToLatest(store.db, backend)).rejects.toThrow(/WARDEN_SECRET_KEY/);
    await migrateToLatest(store.db, backend, { secretKey: TEST_SECRET });

    const entries = [];
    for await (const e of readAuditLog(store.db)) entries.push(e);
    expect(entries.map((e) => e.alg)).toEqual(['sha256', 'sha256', 'sha256', 'sha256', 'hmac-sha256']);
    expect(entries[4]).toMatchObject({
      seq: 5,
      action: 'audit.chain_keyed',
      prevHash: prev,
      summary: { legacyHead: { seq: 4, hash: prev } },
    });
    const key = deriveKey(TEST_SECRET, 'audit-chain');
    expect(await verifyChain(entries, { key })).toMatchObject({ ok: true, checked: 5 });
    // The same chain checked with another key: the marker fails, so the legacy part cannot be
    // replaced by someone without the key either.
    const other = deriveKey('some-other-secret-key-of-enough-length-00', 'audit-chain');
    expect((await verifyChain(entries, { key: other })).firstBreak).toEqual({
      seq: 5,
      reason: 'hash_mismatch',
    });
  });
});
