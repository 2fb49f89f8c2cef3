import type { Context } from '../../src/context.ts';
import type { TripInput } from '../../src/domain/enrollments/trips.ts';
import { blindIndex } from '../../src/domain/privacy/index.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { enroll } from '../../src/services/enrollments/enrollments.ts';
import { subscribe } from '../../src/services/subscriptions/subscriptions.ts';

/* Travellers and subscribers made through the services, verified (or not) straight in the store. */

let seq = 0;
export const uniqueEmail = (tag: string): string => `${tag}.${++seq}.${process.pid}@example.org`;

/** YYYY-MM-DD `offset` days from the context's clock. */
export const dayFrom = (ctx: Context, offset: number): string =>
  new Date(ctx.clock.now().getTime() + offset * 86_400_000).toISOString().slice(0, 10);

const idx = (ctx: Context, email: string) => blindIndex(ctx.privacy.blindIndex, 'email', email)!;

/**
 * An enrolled traveller with an email (unless `email: null`) and, given `phone`, a phone; each
 * contact verified unless `verified` / `phoneVerified` is false. `contactId` is the email's, or the
 * phone's when there is no email.
 */
export async function traveller(
  ctx: Context,
  opts: {
    email?: string | null;
    phone?: string;
    trips: TripInput[];
    verified?: boolean;
    phoneVerified?: boolean;
    unsubscribed?: boolean;
  },
): Promise<{ personId: string; email: string; contactId: string; phoneContactId: string | null }> {
  const email = opts.email === null ? '' : (opts.email ?? uniqueEmail('traveller'));
  await enroll(
    ctx,
    cliActor,
    {
      name: 'Test Traveller',
      ...(email && { email }),
      ...(opts.phone && { phone: opts.phone }),
      language: 'en',
      emergencyContact: { name: 'Test Contact' },
      consent: true,
      trips: opts.trips,
    },
    `10.0.${seq % 250}.${(seq * 7) % 250}`,
  );
  const find = (index: string) =>
    ctx.store.db
      .selectFrom('enrollment_contacts')
      .selectAll()
      .where('blind_index', '=', index)
      .executeTakeFirstOrThrow();
  const emailContact = email ? await find(idx(ctx, email)) : null;
  const phoneContact = opts.phone
    ? await find(blindIndex(ctx.privacy.blindIndex, 'phone', opts.phone)!)
    : null;
  const contact = (emailContact ?? phoneContact)!;
  const now = ctx.clock.now().toISOString();
  const verify = async (id: string) =>
    ctx.store.db.updateTable('enrollment_contacts').set({ verified_at: now }).where('id', '=', id).execute();
  if (emailContact && opts.verified !== false) await verify(emailContact.id);
  if (phoneContact && (opts.phoneVerified ?? opts.verified) !== false) await verify(phoneContact.id);
  if (opts.unsubscribed)
    await ctx.store.db
      .updateTable('enrollments')
      .set({ unsubscribed_at: now })
      .where('id', '=', contact.person_id)
      .execute();
  return {
    personId: contact.person_id,
    email,
    contactId: contact.id,
    phoneContactId: phoneContact?.id ?? null,
  };
}

export async function subscriber(
  ctx: Context,
  opts: { email?: string; countries: string[]; frequency: 'immediate' | 'daily'; verified?: boolean },
): Promise<{ id: string; email: string }> {
  const email = opts.email ?? uniqueEmail('subscriber');
  await subscribe(
    ctx,
    cliActor,
    { email, countries: opts.countries, frequency: opts.frequency, language: 'en' },
    `10.1.${seq % 250}.${(seq * 7) % 250}`,
  );
  const row = await ctx.store.db
    .selectFrom('subscriptions')
    .select('id')
    .where('blind_index', '=', idx(ctx, email))
    .executeTakeFirstOrThrow();
  if (opts.verified !== false)
    await ctx.store.db
      .updateTable('subscriptions')
      .set({ verified_at: ctx.clock.now().toISOString() })
      .where('id', '=', row.id)
      .execute();
  return { id: row.id, email };
}
