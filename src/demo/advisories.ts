import type { Context } from '../context.ts';
import type { EditionInput } from '../domain/advisories/edition.ts';
import { createDraft, publishEdition } from '../services/advisories/editions.ts';
import type { Actor } from '../services/audit/audit.ts';
import { type DemoTimeline, demoTimeline } from './timeline.ts';

const IRAQ_BODY = `Do not travel to Iraq due to **terrorism, kidnapping, armed conflict, and civil unrest**.

U.S. citizens in Iraq are at high risk for violence and kidnapping. Terrorist and insurgent groups
regularly attack both Iraqi security forces and civilians. Anti-U.S. sectarian militias may also
threaten U.S. citizens and Western companies throughout Iraq.

Attacks by improvised explosive devices (IEDs) occur in many areas of the country, including Baghdad.

The ability of the embassy to provide **routine and emergency services to U.S. citizens in Iraq is
extremely limited**.

### If you decide to travel to Iraq

- Review your personal security plans and develop a communication plan with family or your employer.
- Draft a will and designate appropriate insurance beneficiaries and/or power of attorney.
- Enroll in the traveller enrolment programme to receive alerts and make it easier to locate you in an emergency.
- Monitor local media for breaking events and be prepared to adjust your plans.
`;

const KURDISTAN_TEXT = `Reconsider travel to the Iraqi Kurdistan Region (Erbil, Duhok and Sulaymaniyah governorates)
due to terrorism, kidnapping and civil unrest. The security environment there is more stable than
in the rest of Iraq, but attacks, including by drones and rockets, remain possible.`;

const T = (s: string) => s.trim();

interface DemoEdition extends EditionInput {
  readonly country: string;
}

/** Oldest first: Iraq's first edition is archived when its second is published. */
const EDITIONS: readonly DemoEdition[] = [
  {
    country: 'IQ',
    level: 4,
    indicators: ['T', 'K'],
    summary: 'Do not travel to Iraq due to terrorism and kidnapping.',
    body: T(`Do not travel to Iraq due to **terrorism and kidnapping**.

Terrorist and insurgent groups are active in Iraq and regularly attack both Iraqi security forces
and civilians. The embassy's ability to provide services outside Baghdad is limited.`),
    changeNote: 'First edition under the four-level advisory system.',
  },
  {
    country: 'IQ',
    level: 4,
    indicators: ['T', 'K', 'U'],
    summary: 'Do not travel to Iraq due to terrorism, kidnapping, armed conflict, and civil unrest.',
    body: T(IRAQ_BODY),
    zones: [
      {
        name: 'Iraqi Kurdistan Region',
        level: 3,
        indicators: ['T', 'K', 'U'],
        regions: ['IQ-AR', 'IQ-DA', 'IQ-SU'],
        text: T(KURDISTAN_TEXT),
      },
    ],
    changeNote:
      'Added civil unrest and armed conflict after violent protests in Basrah; the Iraqi Kurdistan Region is now Level 3.',
  },
  {
    country: 'KW',
    level: 1,
    indicators: [],
    summary: 'Exercise normal precautions in Kuwait.',
    body: T(`Exercise normal precautions in Kuwait.

Read the country information page. Register with the traveller enrolment programme, follow local media,
and keep travel documents up to date and easily accessible.`),
    changeNote: 'Reissued after periodic review with no changes to the level.',
  },
  {
    country: 'JO',
    level: 2,
    indicators: ['T'],
    summary: 'Exercise increased caution in Jordan due to terrorism.',
    body: T(`Exercise increased caution in Jordan due to **terrorism**.

Terrorist groups continue plotting possible attacks in Jordan. Terrorists may attack with little or no
warning, targeting tourist locations, transportation hubs, markets and shopping malls, and local
government facilities.

Do not travel to areas within 3 km of the border with Syria and Iraq.`),
    changeNote: 'Updated the description of the terrorism risk.',
  },
  {
    country: 'SA',
    level: 2,
    indicators: ['T', 'O'],
    summary:
      'Exercise increased caution in Saudi Arabia due to terrorism and the threat of missile and drone attacks.',
    body: T(`Exercise increased caution in Saudi Arabia due to **terrorism** and the threat of **missile and drone
attacks** on civilian facilities (the *Other* indicator).

Do not travel within 10 miles of the border with Yemen due to terrorism and armed conflict.`),
    changeNote: 'Added the threat of missile and drone attacks.',
  },
  {
    country: 'TR',
    level: 2,
    indicators: ['T', 'D'],
    summary: 'Exercise increased caution in Türkiye due to terrorism and arbitrary detentions.',
    body: T(`Exercise increased caution in Türkiye due to **terrorism** and **arbitrary detentions**.

Terrorist groups continue plotting possible attacks in Türkiye. Security forces have detained tens of
thousands of individuals, including foreign citizens, for alleged affiliations with terrorist
organisations based on scant or secret evidence.`),
    zones: [
      {
        name: 'Şırnak and Hakkâri provinces',
        level: 4,
        indicators: ['T'],
        regions: ['TR-73', 'TR-30'],
        text: 'Do not travel to Şırnak and Hakkâri provinces due to terrorism.',
      },
    ],
    changeNote: 'Şırnak and Hakkâri provinces raised to Level 4.',
  },
  {
    country: 'IR',
    level: 4,
    indicators: ['T', 'K', 'U', 'D'],
    summary:
      'Do not travel to Iran due to the risk of terrorism, kidnapping, unrest, and arbitrary arrest and detention.',
    body: T(`Do not travel to Iran due to the risk of **terrorism, kidnapping, civil unrest**, and the
**arbitrary arrest and detention** of foreign and dual nationals.

There is no embassy in Iran; consular services are provided through a protecting power and are limited.`),
    changeNote: 'Added wrongful detention as a risk indicator.',
  },
  {
    country: 'SY',
    level: 4,
    indicators: ['T', 'K', 'U', 'D', 'O'],
    summary:
      'Do not travel to Syria due to terrorism, civil unrest, kidnapping, armed conflict, and risk of unjust detention.',
    body: T(`Do not travel to Syria due to **terrorism, civil unrest, kidnapping, armed conflict**, and the
risk of **unjust detention**. No part of Syria is safe from violence.

Embassy operations are suspended; no consular services are available in Syria.`),
    changeNote: 'Reissued with updates to the security situation and consular services.',
  },
];

/**
 * The region around Basrah in September 2018: Iraq at Level 4 with its history, and its neighbours,
 * published in the weeks before the ordered departure (story dates, moved to the present by the
 * timeline), an hour apart.
 */
export async function loadDemoAdvisories(
  ctx: Context,
  actor: Actor,
  tl: DemoTimeline = demoTimeline(ctx.clock.now()),
): Promise<void> {
  const first = Date.parse('2018-09-14T09:00:00Z');
  for (const [i, { country, ...input }] of EDITIONS.entries()) {
    const when = tl.at(ctx, first + i * 3_600_000);
    const draft = await createDraft(when, actor, country, input);
    await publishEdition(when, actor, draft.id);
  }
}
