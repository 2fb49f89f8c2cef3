import { type Kysely, sql } from 'kysely';
import type { Backend } from '../db.ts';

/*
 * The delivery engine (issue 12): the outbox becomes `deliveries`, the one source of truth for
 * every message Warden sends — one row per recipient × channel × message — and gains what a
 * worker needs to claim, lease, retry and account for it (docs/ARCHITECTURE.md, "Delivery
 * engine"). Rows carry over: a `queued` row is due at once, with a priority from its template.
 *
 * `delivery_attempts` is the attempt history (time, outcome, the provider's answer); it never
 * holds the rendered text or the recipient's address.
 */
export async function up(db: Kysely<unknown>, _backend: Backend): Promise<void> {
  await sql`alter table outbox rename to deliveries`.execute(db);
  const add = (column: string, type: string) =>
    sql.raw(`alter table deliveries add column ${column} ${type}`).execute(db);
  // What the delivery belongs to, for progress and listing: 'notice:<id>', 'alert:<id>', ...
  await add('message_ref', 'text');
  // Higher first: PRIORITY in src/domain/deliveries/model.ts.
  await add('priority', 'integer not null default 50');
  await add('next_attempt_at', 'text');
  await add('lease_owner', 'text');
  await add('lease_expires_at', 'text');
  await add('provider_id', 'text');
  // 1 when it may have left twice: its lease expired while `sending` and it was sent again.
  await add('possible_duplicate', 'integer not null default 0');
  // 'routine' or 'security': which retention setting keeps its evidence.
  await add('retention', "text not null default 'routine'");
  await add('organisation_id', 'text');
  await add('updated_at', 'text');
  await add('finished_at', 'text');

  await sql`update deliveries set next_attempt_at = created_at where status = 'queued'`.execute(db);
  await sql`update deliveries set updated_at = coalesce(sent_at, created_at)`.execute(db);
  await sql`update deliveries set finished_at = sent_at where status = 'sent'`.execute(db);
  await sql`update deliveries set priority = case
      when template in ('verify_email', 'verify_phone', 'manage_link', 'already_enrolled',
                        'subscription_verify', 'subscription_exists', 'subscription_welcome',
                        'subscription_manage_link') then 70
      when template = 'advisory_notice' then 50
      when template = 'confirm_presence' then 30
      when template = 'advisory_digest' then 10
      else 50 end`.execute(db);

  // The claim: most urgent first, then oldest due; only queued rows are in it.
  await sql`create index deliveries_claim_idx on deliveries (priority desc, next_attempt_at)
    where status = 'queued'`.execute(db);
  // Leases to take over from a worker that died.
  await sql`create index deliveries_lease_idx on deliveries (lease_expires_at)
    where status = 'sending'`.execute(db);
  await sql`create index deliveries_message_idx on deliveries (message_ref, status, channel)`.execute(db);
  await sql`create index deliveries_provider_idx on deliveries (provider_id)
    where provider_id is not null`.execute(db);
  await sql`create index deliveries_organisation_idx on deliveries (organisation_id)
    where organisation_id is not null`.execute(db);
  // Superseded by the claim index (status, created_at was the old drain order).
  await sql`drop index outbox_status_idx`.execute(db);

  await db.schema
    .createTable('delivery_attempts')
    // orderedId(): time-ordered, so a delivery's history reads in order.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_id', 'text', (c) => c.notNull().references('deliveries.id').onDelete('cascade'))
    // The delivery's attempt count when this was recorded (a receipt names the attempt it follows).
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    // sent | delivered | transient | permanent | dropped | receipt | lease_expired
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('answer', 'text')
    .addColumn('reason', 'text')
    .addColumn('worker', 'text')
    .addColumn('duration_ms', 'integer')
    .execute();
  await db.schema
    .createIndex('delivery_attempts_delivery_idx')
    .on('delivery_attempts')
    .column('delivery_id')
    .execute();
}
