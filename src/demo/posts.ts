import type { Context } from '../context.ts';
import type { Principal } from '../domain/auth/principal.ts';
import { type Actor, systemActor } from '../services/audit/audit.ts';
import { createPost } from '../services/posts/posts.ts';
import { approvePostureRequest, changePosture } from '../services/posts/posture.ts';
import { createRestriction } from '../services/posts/restrictions.ts';
import { findUserByEmail } from '../store/auth/users.ts';

export interface DemoPosts {
  readonly baghdad: string;
  readonly basrah: string;
  readonly erbil: string;
  /** The staff movement restriction in Basrah's CBD; its public-notice task stays open until the demo alert is sent. */
  readonly restriction: string;
}

/** The demo's history happened in 2018: every step runs with the clock at its date. */
const at = (ctx: Context, when: string): Context => ({ ...ctx, clock: { now: () => new Date(when) } });

export async function staff(ctx: Context, email: string, fallback: Actor): Promise<Actor> {
  const u = await findUserByEmail(ctx.store.db, email);
  if (!u) return fallback;
  const principal: Principal = { userId: u.id, email: u.email, role: u.role, scope: u.scope, via: 'session' };
  return { principal, requestId: null };
}

const STATEMENT =
  'The Department of State has placed the U.S. Consulate General in Basrah on ordered departure. ' +
  'The threat to U.S. Government personnel and facilities in Iraq has increased over the past several weeks, ' +
  'with repeated incidents of indirect fire directed at the Consulate General in Basrah and the Embassy in Baghdad, ' +
  "the most recent within the past 24 hours, by militias directed by a foreign state's forces. " +
  'Non-emergency staff are leaving and personnel are being temporarily relocated. ' +
  'Citizen services will be provided by the U.S. Embassy in Baghdad.';

/** Basrah's central business district, as drawn for the staff movement restriction. */
const BASRAH_CBD = {
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

/**
 * Iraq's three posts, whose districts cover the 18 governorates without gap or overlap; Basrah's
 * ordered departure of September 2018 (requested by the crisis manager, approved by the admin,
 * citizen services covered by Baghdad); and the restriction on staff movement in Basrah's CBD.
 */
export async function loadDemoPosts(ctx: Context, actor: Actor = systemActor): Promise<DemoPosts> {
  const requester = await staff(ctx, 'crisis@warden.local', actor);
  const approver = await staff(ctx, 'admin@warden.local', actor);
  const opened = at(ctx, '2018-09-01T06:00:00Z');

  const baghdad = await createPost(opened, actor, {
    kind: 'embassy',
    name: 'Embassy Baghdad',
    city: 'Baghdad',
    country: 'IQ',
    location: { lat: 33.3, lon: 44.39 },
    contact: {
      phone: '+964 760 030 3000',
      email: 'BaghdadACS@state.gov',
      address: 'Al-Kindi Street, International Zone, Baghdad',
      hours: 'Sunday–Thursday 08:00–16:30; emergencies 24 hours',
    },
    district: {
      regions: [
        'IQ-BG',
        'IQ-AN',
        'IQ-BB',
        'IQ-DI',
        'IQ-KA',
        'IQ-KI',
        'IQ-NA',
        'IQ-NI',
        'IQ-QA',
        'IQ-SD',
        'IQ-WA',
      ],
    },
  });
  const basrah = await createPost(opened, actor, {
    kind: 'consulate_general',
    name: 'Consulate General Basrah',
    city: 'Basrah',
    country: 'IQ',
    location: { lat: 30.51, lon: 47.81 },
    contact: {
      phone: '+964 760 030 3000',
      email: 'BasrahACS@state.gov',
      address: 'Consulate General compound, Basrah',
      hours: 'Sunday–Thursday 08:00–16:30, by appointment',
    },
    district: { regions: ['IQ-BA', 'IQ-MA', 'IQ-DQ', 'IQ-MU'] },
  });
  const erbil = await createPost(opened, actor, {
    kind: 'consulate_general',
    name: 'Consulate General Erbil',
    city: 'Erbil',
    country: 'IQ',
    location: { lat: 36.19, lon: 44.01 },
    contact: {
      phone: '+964 760 030 3000',
      email: 'ErbilACS@state.gov',
      address: 'Ankawa, Erbil, Kurdistan Region',
      hours: 'Sunday–Thursday 08:00–16:30, by appointment',
    },
    // Halabja is not a separate region in the shipped Natural Earth data (it lies within Sulaymaniyah).
    district: { regions: ['IQ-AR', 'IQ-DA', 'IQ-SU'] },
  });

  // Twenty days before the departure: protests turn violent; staff must avoid demonstrations.
  const alertDay = at(ctx, '2018-09-08T09:00:00Z');
  const { restriction } = await createRestriction(alertDay, requester, basrah.id, {
    geometry: BASRAH_CBD,
    reason:
      'Protests in Basrah have turned violent. U.S. government employees must avoid any area where demonstrations ' +
      'could occur, including the Basrah central business district.',
    validFrom: '2018-09-08T09:00:00Z',
  });
  // Its public-notice task is resolved by the demo's alert (src/demo/alerts.ts), which links it.

  const { request } = await changePosture(at(ctx, '2018-09-28T08:00:00Z'), requester, basrah.id, {
    state: 'ordered_departure',
    departure: { staff: 'ordered', family: 'ordered' },
    services: { citizenServices: false, visas: false, walkIn: false },
    reason:
      'Increased and specific threats to personnel and facilities, including repeated indirect fire at the ' +
      'consulate and the embassy, one within the past 24 hours.',
    reviewBy: '2018-10-28',
    statement: { text: STATEMENT, by: 'Secretary of State' },
    coverageDelegateId: baghdad.id,
  });
  if (request && approver !== requester) {
    await approvePostureRequest(at(ctx, '2018-09-28T12:00:00Z'), approver, request.id, request.contentHash);
  }
  return { baghdad: baghdad.id, basrah: basrah.id, erbil: erbil.id, restriction: restriction.id };
}
