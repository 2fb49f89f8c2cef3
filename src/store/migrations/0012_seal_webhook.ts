import { type Kysely, sql } from 'kysely';
import { derivePrivacyKeys, PersonCipher } from '../../domain/privacy/index.ts';
import type { Backend } from '../db.ts';
import type { MigrationSecrets } from '../migrate.ts';

/*
 * Seals the traveller's webhook URL like every other contact (issue 11). It was kept in plaintext
 * (enrollments.webhook_url), so erasing a person left it readable in the database file. Each URL
 * is sealed with its person's data key under the PII field 'webhookUrl' into webhook_url_enc,
 * then the plaintext column is dropped: crypto-shredding the person now covers it too.
 *
 * Rows are carried over in pages of 500 by id. On SQLite the connection runs with
 * secure_delete = ON (openStore), so the old values are overwritten, not left on free pages.
 */
export async function up(db: Kysely<unknown>, _backend: Backend, secrets: MigrationSecrets): Promise<void> {
  const any = (
    await sql<{
      n: number | string;
    }>`select count(*) as n from enrollments where webhook_url is not null`.execute(db)
  ).rows[0];
  const waiting = Number(any?.n ?? 0);
  if (waiting > 0 && !secrets.secretKey) {
    throw new Error('Migration 0012 seals webhook URLs and needs WARDEN_SECRET_KEY.');
  }
  await db.schema.alterTable('enrollments').addColumn('webhook_url_enc', 'text').execute();
  if (waiting > 0 && secrets.secretKey) {
    const { kek } = derivePrivacyKeys(secrets.secretKey);
    let after = '';
    for (;;) {
      const rows = (
        await sql<{ id: string; webhook_url: string; wrapped_key: string }>`
          select e.id, e.webhook_url, k.wrapped_key from enrollments e
          join enrollment_keys k on k.person_id = e.id
          where e.webhook_url is not null and e.id > ${after}
          order by e.id limit 500`.execute(db)
      ).rows;
      for (const r of rows) {
        const sealed = PersonCipher.open(kek, r.id, r.wrapped_key).encrypt('webhookUrl', r.webhook_url);
        await sql`update enrollments set webhook_url_enc = ${sealed}, webhook_url = null where id = ${r.id}`.execute(
          db,
        );
      }
      if (rows.length < 500) break;
      after = rows[rows.length - 1]!.id;
    }
  }
  await db.schema.alterTable('enrollments').dropColumn('webhook_url').execute();
}
