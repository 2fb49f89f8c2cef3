import type { Context } from '../context.ts';
import type { StatusChange } from '../domain/rosters/types.ts';
import { type Actor, systemActor } from '../services/audit/audit.ts';
import {
  answerRosterCheckin,
  drawdownBoard,
  setStatus,
  signRosterCheckin,
} from '../services/rosters/drawdown.ts';
import { importRoster, readRoster } from '../services/rosters/roster.ts';
import { rng } from './enrollments.ts';
import { type DemoPosts, staff } from './posts.ts';
import type { DemoTimeline } from './timeline.ts';

/*
 * Consulate General Basrah's staff drawdown, in progress: the roster (imported before the ordered
 * departure), then over the days since, most staff relocated to Embassy Baghdad or departed the
 * country with their families, essential staff confirmed remaining at post, and a few not yet
 * accounted for. Some statuses were set by staff in the console, others by the members themselves
 * through their roster check-in links, each with the clock at its moment.
 */

const HOUR = 3_600_000;

const ESSENTIAL = [
  'Consul General',
  'Regional Security Officer',
  'Assistant Regional Security Officer',
  'Management Officer',
  'Information Management Officer',
  'Facility Manager',
  'Health Practitioner',
  'Post Security Program Manager',
];
const OTHERS = [
  'Deputy Principal Officer',
  'Political Officer',
  'Economic Officer',
  'Public Affairs Officer',
  'Consular Officer',
  'Consular Officer',
  'Vice Consul',
  'Vice Consul',
  'General Services Officer',
  'Financial Management Officer',
  'Human Resources Officer',
  'Office Management Specialist',
  'Office Management Specialist',
  'Information Programs Officer',
  'Commercial Officer',
  'USAID Program Officer',
  'USAID Program Officer',
  'Agricultural Attaché',
  'Cultural Affairs Officer',
  'Public Diplomacy Officer',
  'Political-Economic Officer',
  'Management Specialist',
  'Facilities Specialist',
  'Logistics Officer',
  'Security Technician',
  'Budget Analyst',
  'Protocol Officer',
  'Community Liaison Officer',
];
const FIRST = [
  'Dana',
  'Marcus',
  'Elena',
  'Tariq',
  'Grace',
  'Owen',
  'Priya',
  'Samuel',
  'Leila',
  'Noah',
  'Ruth',
];
const LAST = [
  'Whitfield',
  'Okafor',
  'Brennan',
  'Haddad',
  'Lindqvist',
  'Moreno',
  'Castillo',
  'Nakamura',
  'Price',
];

const csvRow = (cells: readonly string[]) => cells.join(',');

function rosterCsv(): { csv: string; rows: number } {
  const random = rng(1809);
  const name = (i: number) =>
    `${FIRST[(i * 7 + Math.floor(random() * 3)) % FIRST.length]} ${LAST[(i * 5) % LAST.length]}`;
  const lines = [
    csvRow(['reference', 'name', 'kind', 'role', 'essential', 'email', 'phone', 'household', 'language']),
  ];
  const roles = [
    ...ESSENTIAL.map((r) => ({ r, essential: true })),
    ...OTHERS.map((r) => ({ r, essential: false })),
  ];
  roles.forEach(({ r, essential }, i) => {
    const ref = `B-${String(101 + i)}`;
    const phone = `+96478010${String(10_000 + i * 17).padStart(5, '0')}`;
    lines.push(
      csvRow([
        ref,
        name(i),
        'staff',
        r,
        essential ? 'yes' : 'no',
        `${ref.toLowerCase()}@basrah.example`,
        phone,
        '',
        'en',
      ]),
    );
    // About half the non-essential staff are accompanied: a spouse, sometimes children.
    if (!essential && i % 2 === 0) {
      lines.push(
        csvRow([
          `${ref}-S`,
          name(i + 3),
          'family',
          'Spouse',
          'no',
          '',
          `+96478020${String(10_000 + i * 17).padStart(5, '0')}`,
          ref,
          'en',
        ]),
      );
      if (i % 4 === 0)
        lines.push(csvRow([`${ref}-C`, name(i + 5), 'family', 'Child', 'no', '', '', ref, 'en']));
    }
  });
  return { csv: `${lines.join('\n')}\n`, rows: lines.length - 1 };
}

export interface DemoRoster {
  readonly members: number;
}

export async function loadDemoRoster(
  ctx: Context,
  posts: DemoPosts,
  tl: DemoTimeline,
  actor: Actor = systemActor,
): Promise<DemoRoster> {
  const officer = await staff(ctx, 'crisis@warden.local', actor);
  const { csv } = rosterCsv();
  // The post's roster as it stood before the drawdown.
  await importRoster(tl.at(ctx, '2018-09-10T07:30:00Z'), officer, posts.basrah, csv);
  const board = (await drawdownBoard(ctx, posts.basrah)).board;
  const members = await readRoster(ctx, officer, posts.basrah);
  if (!board) return { members: members.length };

  const random = rng(928);
  // The board opened when the ordered departure was approved; people move from then on.
  const departure = Date.parse(board.openedAt);
  const now = ctx.clock.now().getTime();
  const span = now - departure - HOUR;
  const moves: Array<{ ms: number; memberId: string; change: StatusChange; self: boolean }> = [];
  const byRef = new Map(members.map((m) => [m.reference, m]));
  const outOfCountry = ['Kuwait City', 'Amman', 'Washington, D.C.', 'Dubai'];
  let i = 0;
  for (const m of members) {
    i++;
    // A few people not yet accounted for: the drawdown is still going on.
    if (i % 13 === 0) continue;
    let change: StatusChange;
    if (m.kind === 'family') {
      // Families leave the country, mostly in the first day.
      const head = byRef.get(m.household ?? '');
      const to = outOfCountry[(head ? head.reference.length + i : i) % 3] ?? 'Kuwait City';
      change = { status: 'departed', location: to };
    } else if (m.essential) {
      change = { status: 'remaining', location: null };
    } else if (random() < 0.6) {
      change = { status: 'relocated', location: 'Embassy Baghdad' };
    } else {
      change = {
        status: 'departed',
        location: outOfCountry[Math.floor(random() * outOfCountry.length)] ?? null,
      };
    }
    const early = m.kind === 'family' ? 0.3 : 1;
    moves.push({
      ms: departure + HOUR + random() * span * early,
      memberId: m.id,
      change,
      self: random() < 0.4,
    });
  }
  moves.sort((a, b) => a.ms - b.ms);
  for (const mv of moves) {
    const then: Context = { ...ctx, clock: { now: () => new Date(mv.ms) } };
    if (mv.self) {
      // The member answers the roster check-in link sent to them.
      await answerRosterCheckin(then, actor, signRosterCheckin(then, mv.memberId, board.id), mv.change);
    } else {
      await setStatus(then, officer, posts.basrah, mv.memberId, mv.change);
    }
  }
  return { members: members.length };
}
