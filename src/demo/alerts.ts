import type { Context } from '../context.ts';
import type { AlertContent, AlertText } from '../domain/alerts/types.ts';
import { createAlert, startAlert } from '../services/alerts/compose.ts';
import { approveAlert, stepAlert } from '../services/alerts/lifecycle.ts';
import { sendAlert } from '../services/alerts/send.ts';
import { type Actor, systemActor } from '../services/audit/audit.ts';
import { setOrganisationDrillParticipant } from '../store/alerts/audience.ts';
import { type DemoPosts, staff } from './posts.ts';

/*
 * The demo's alerts, sent today so that they reach the demo's travellers (whose trips are around
 * today): the Basrah demonstration alert drafted from the staff restriction (the CBD polygon,
 * Avoid, issued by Embassy Baghdad because the consulate is on ordered departure), approved by a
 * second person and sent BASRAH_SENT_HOURS_AGO hours ago with a check-in request (which resolves the restriction's public-notice task by linking it); an
 * Exercise in Erbil for the organisation's drill participants; and one alert waiting for approval.
 */

const text = (headline: string, location: string, event: string, actionsToTake: string): AlertText => ({
  headline,
  sections: { location, event, actionsToTake, assistance: '' },
});

const BASRAH_TEXTS = {
  en: text(
    'Demonstrations in Basrah: avoid the central business district',
    'Basrah, Iraq: the central business district',
    'Protests in Basrah have turned violent. U.S. government personnel are avoiding demonstration areas, including the Basrah central business district.',
    'Avoid areas of demonstrations and large gatherings. Monitor local media for updates. Keep a low profile. Be aware of your surroundings.',
  ),
  ar: text(
    'مظاهرات في البصرة: تجنّبوا منطقة الأعمال المركزية',
    'البصرة، العراق: منطقة الأعمال المركزية',
    'تحوّلت الاحتجاجات في البصرة إلى أعمال عنف. يتجنّب موظفو الحكومة مناطق التظاهر، بما فيها منطقة الأعمال المركزية في البصرة.',
    'تجنّبوا مناطق التظاهر والتجمعات الكبيرة. تابعوا وسائل الإعلام المحلية. التزموا الحذر.',
  ),
  fr: text(
    "Manifestations à Bassora : évitez le quartier d'affaires central",
    "Bassora, Irak : le quartier d'affaires central",
    "Les manifestations à Bassora sont devenues violentes. Le personnel du gouvernement évite les lieux de manifestation, dont le quartier d'affaires central.",
    'Évitez les manifestations et les grands rassemblements. Suivez les médias locaux. Restez discret.',
  ),
};

/** Texts with the assistance block the composer prefilled (the issuing post's). */
const withAssistance = (c: AlertContent, texts: Record<string, AlertText>): AlertContent['texts'] =>
  Object.fromEntries(
    Object.entries(texts).map(([lang, t]) => [
      lang,
      { ...t, sections: { ...t.sections, assistance: c.texts.en.sections.assistance } },
    ]),
  ) as unknown as AlertContent['texts'];

const HOUR = 3_600_000;
/** How long before the demo is loaded the Basrah alert was sent (its check-in answers fill the hours since). */
export const BASRAH_SENT_HOURS_AGO = 9;

export interface DemoAlerts {
  readonly basrah: string;
  readonly exercise: string;
  readonly pending: string;
}

export async function loadDemoAlerts(
  ctx: Context,
  posts: DemoPosts,
  organisationId: string | null,
  actor: Actor = systemActor,
): Promise<DemoAlerts> {
  const officer = await staff(ctx, 'officer.iraq@warden.local', actor);
  const approver = await staff(ctx, 'crisis@warden.local', actor);

  // Sent BASRAH_SENT_HOURS_AGO hours before the demo is loaded, asking everyone to check in within 12 hours.
  const sent = ctx.clock.now().getTime() - BASRAH_SENT_HOURS_AGO * HOUR;
  const then: Context = { ...ctx, clock: { now: () => new Date(sent) } };
  const deadline = new Date(sent + 12 * HOUR).toISOString();
  const start = await startAlert(then, officer, {
    from: 'restriction',
    id: posts.restriction,
    kind: 'demonstration',
  });
  const basrah = await createAlert(then, officer, {
    source: start.source,
    content: {
      ...start.content,
      texts: withAssistance(start.content, BASRAH_TEXTS),
      cap: {
        ...start.content.cap,
        responseType: ['Avoid', 'Monitor'],
        urgency: 'Immediate',
        severity: 'Severe',
        certainty: 'Observed',
        expires: [start.content.cap.expires, deadline].sort().at(-1) ?? deadline,
      },
      checkIn: { requested: true, deadline },
    },
  });
  const submitted = await stepAlert(then, officer, basrah.id, 'submit');
  await approveAlert(then, approver, basrah.id, submitted.contentHash);
  await sendAlert(then, officer, basrah.id);

  // The organisation takes part in drills: the exercise reaches its people in Erbil.
  if (organisationId) await setOrganisationDrillParticipant(ctx.store.db, organisationId, true);
  const blank = await startAlert(ctx, officer, { from: 'blank', kind: 'security', postId: posts.erbil });
  const exercise = await createAlert(ctx, officer, {
    content: {
      ...blank.content,
      status: 'Exercise',
      texts: withAssistance(blank.content, {
        en: text(
          'Shelter-in-place drill in Erbil',
          'Erbil, Iraq: the city centre and Ankawa',
          'This is an exercise of the embassy’s alert system. Nothing has happened.',
          'Reply to the check-in request if you receive this message. No other action is needed.',
        ),
      }),
      cap: { ...blank.content.cap, responseType: ['Shelter'], urgency: 'Expected', severity: 'Minor' },
      area: { countries: [], regions: [], polygons: [], circles: [{ lat: 36.19, lon: 44.01, radiusKm: 8 }] },
    },
  });
  await stepAlert(ctx, officer, exercise.id, 'submit');
  await sendAlert(ctx, officer, exercise.id);

  const dust = await startAlert(ctx, officer, { from: 'blank', kind: 'weather', postId: posts.baghdad });
  const pending = await createAlert(ctx, officer, {
    content: {
      ...dust.content,
      texts: withAssistance(dust.content, {
        en: text(
          'Severe dust storm in Baghdad',
          'Baghdad, Iraq',
          'A severe dust storm is expected over Baghdad; Baghdad International Airport may suspend flights.',
          'Stay indoors where you can. Check with your airline before travelling to the airport.',
        ),
      }),
      cap: {
        ...dust.content.cap,
        responseType: ['Prepare'],
        urgency: 'Expected',
        severity: 'Severe',
        certainty: 'Likely',
      },
      area: { countries: [], regions: ['IQ-BG'], polygons: [], circles: [] },
    },
  });
  await stepAlert(ctx, officer, pending.id, 'submit');
  return { basrah: basrah.id, exercise: exercise.id, pending: pending.id };
}
