import type { Db } from '../db.ts';
import type { SubscriptionTable } from './tables.ts';

/* Advisory subscriptions: rows stay sealed here, as for enrollments. */

export type SubscriptionRow = SubscriptionTable;

export async function insertSubscription(
  db: Db,
  row: SubscriptionRow,
  wrappedKey: string,
  countries: readonly string[],
): Promise<void> {
  await db.insertInto('subscriptions').values(row).execute();
  await db
    .insertInto('subscription_keys')
    .values({ subscription_id: row.id, wrapped_key: wrappedKey, created_at: row.created_at })
    .execute();
  await setCountries(db, row.id, countries);
}

export async function setCountries(db: Db, id: string, countries: readonly string[]): Promise<void> {
  await db.deleteFrom('subscription_countries').where('subscription_id', '=', id).execute();
  if (countries.length > 0)
    await db
      .insertInto('subscription_countries')
      .values(countries.map((country) => ({ subscription_id: id, country })))
      .execute();
}

export async function findSubscription(db: Db, id: string): Promise<SubscriptionRow | undefined> {
  return db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findSubscriptionByIndex(db: Db, index: string): Promise<SubscriptionRow | undefined> {
  return db.selectFrom('subscriptions').selectAll().where('blind_index', '=', index).executeTakeFirst();
}

export async function findSubscriptionKey(db: Db, id: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('subscription_keys')
    .select('wrapped_key')
    .where('subscription_id', '=', id)
    .executeTakeFirst();
  return r?.wrapped_key;
}

export async function listCountries(db: Db, id: string): Promise<string[]> {
  const rows = await db
    .selectFrom('subscription_countries')
    .select('country')
    .where('subscription_id', '=', id)
    .orderBy('country')
    .execute();
  return rows.map((r) => r.country);
}

export async function updateSubscriptionRow(
  db: Db,
  id: string,
  set: Partial<Omit<SubscriptionRow, 'id' | 'created_at' | 'email_enc' | 'blind_index'>>,
): Promise<void> {
  await db.updateTable('subscriptions').set(set).where('id', '=', id).execute();
}

/** Marks the subscription verified if the link's version is still current. */
export async function markSubscriptionVerified(
  db: Db,
  id: string,
  version: number,
  at: string,
): Promise<boolean> {
  const r = await db
    .updateTable('subscriptions')
    .set({ verified_at: at, verify_version: version + 1, updated_at: at })
    .where('id', '=', id)
    .where('verify_version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

const deleted = (r: { numDeletedRows: bigint }[]) => Number(r[0]?.numDeletedRows ?? 0n);

/**
 * Deletes subscriptions with their keys (crypto-shredding the sealed emails), countries and
 * messages; returns the counts for the audit entry.
 */
export async function deleteSubscriptions(
  db: Db,
  ids: readonly string[],
): Promise<{ subscriptions: number; messages: number }> {
  if (ids.length === 0) return { subscriptions: 0, messages: 0 };
  const list = [...ids];
  const messages = deleted(await db.deleteFrom('deliveries').where('subscription_id', 'in', list).execute());
  await db.deleteFrom('subscription_countries').where('subscription_id', 'in', list).execute();
  await db.deleteFrom('subscription_keys').where('subscription_id', 'in', list).execute();
  const subscriptions = deleted(await db.deleteFrom('subscriptions').where('id', 'in', list).execute());
  return { subscriptions, messages };
}
