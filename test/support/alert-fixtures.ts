import type { Context } from '../../src/context.ts';
import type { AlertContent } from '../../src/domain/alerts/types.ts';
import { blindIndex } from '../../src/domain/privacy/index.ts';
import { cliActor } from '../../src/services/audit/audit.ts';
import { enroll } from '../../src/services/enrollments/enrollments.ts';

/** Basrah's central business district ([lon, lat]) and points inside and outside it. */
export const CBD = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [47.78, 30.5],
      [47.83, 30.5],
      [47.83, 30.515],
      [47.82, 30.53],
      [47.78, 30.53],
      [47.78, 30.5],
    ],
  ],
};
export const IN_CBD = { lat: 30.508, lon: 47.783 };
export const OUTSIDE_CBD = { lat: 30.45, lon: 47.7 };

let n = 0;

/**
 * A traveller enrolled through the public service (sealed contacts), with the email verified,
 * at a point (or a whole country). Returns the enrollment id and the email.
 */
export async function enrollTraveller(
  ctx: Context,
  where: { lat: number; lon: number } | 'IQ',
  o: { language?: string; arrival?: string } = {},
): Promise<{ id: string; email: string }> {
  const email = `traveller.${++n}.${process.pid}@example.org`;
  const arrival = o.arrival ?? new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  await enroll(
    ctx,
    cliActor,
    {
      name: `Traveller ${n}`,
      email,
      language: o.language ?? 'en',
      emergencyContact: { name: 'Contact' },
      consent: true,
      trips: [
        where === 'IQ'
          ? { country: 'IQ', wholeCountry: true, arrival }
          : { country: 'IQ', point: { lat: where.lat, lon: where.lon }, arrival },
      ],
    },
    `10.1.${Math.floor(n / 200)}.${n % 200}`,
  );
  const idx = blindIndex(ctx.privacy.blindIndex, 'email', email)!;
  const contact = await ctx.store.db
    .selectFrom('enrollment_contacts')
    .select(['id', 'person_id'])
    .where('blind_index', '=', idx)
    .executeTakeFirstOrThrow();
  await ctx.store.db
    .updateTable('enrollment_contacts')
    .set({ verified_at: new Date().toISOString() })
    .where('id', '=', contact.id)
    .execute();
  return { id: contact.person_id, email };
}

/** English text for a composed alert. */
export const withText = (
  c: AlertContent,
  headline = 'Demonstrations in Basrah: avoid the CBD',
): AlertContent => ({
  ...c,
  texts: {
    ...c.texts,
    en: {
      headline,
      sections: {
        ...c.texts.en.sections,
        location: 'Basrah, Iraq: the central business district',
        event: c.texts.en.sections.event || 'Protests in Basrah have turned violent.',
        actionsToTake: 'Avoid areas of demonstrations and large gatherings. Monitor local media.',
      },
    },
  },
});
