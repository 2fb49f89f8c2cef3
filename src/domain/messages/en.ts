import { INDICATORS, LEVEL_LABELS } from '../advisories/levels.ts';
import type { Catalogue } from './catalogue.ts';

export const EN: Catalogue = {
  // The advisory vocabulary is English at its source (feeds and the staff console use it too).
  levels: LEVEL_LABELS,
  indicators: INDICATORS,
  stateWords: {
    normal: 'has resumed normal operations',
    authorized_departure: 'is on authorized departure: non-emergency staff and family members may leave',
    ordered_departure: 'is on ordered departure: non-emergency staff and family members must leave',
    suspended: 'has suspended operations',
  },
  stateTitles: {
    normal: 'resumes normal operations',
    authorized_departure: 'is on authorized departure',
    ordered_departure: 'is on ordered departure',
    suspended: 'suspends operations',
  },
  otherState: (state) => `is now ${state.replace(/_/g, ' ')}`,
  yesterday: 'yesterday',
  list: (items) => items.join(', '),

  verifyPhone: (code) =>
    `Warden: your verification code is ${code}. It expires in 15 minutes. If you did not enroll, ignore this.`,
  verifyEmail: (link) => ({
    subject: 'Confirm your email for travel safety alerts',
    text: [
      'Someone (we hope you) enrolled this address to receive safety alerts while abroad.',
      '',
      `Confirm it here: ${link}`,
      '',
      'If this was not you, ignore this message: nothing will be sent to this address.',
    ].join('\n'),
  }),
  alreadyEnrolled: (link) => ({
    subject: 'You are already enrolled for travel safety alerts',
    text: [
      'We received a new enrollment for this address, but it is already enrolled.',
      '',
      `To see or change your trips and contacts, use this link: ${link}`,
      '',
      'If this was not you, ignore this message: nothing has changed.',
    ].join('\n'),
  }),
  manageLink: (link) => ({
    subject: 'Your link to manage your travel enrollment',
    text: [
      `Use this link to see or change your enrollment: ${link}`,
      '',
      'It works once and expires soon. If you did not ask for it, ignore this message.',
    ].join('\n'),
  }),
  confirmPresence: (link) => ({
    subject: 'Are you still there? Confirm your stay abroad',
    text: [
      'You enrolled a stay abroad without an end date. So that we can reach you if something happens, please confirm you are still there:',
      '',
      link,
      '',
      'If you have left, do not confirm: ask for a link to manage your enrollment and end or remove the trip.',
    ].join('\n'),
  }),

  subscriptionVerify: (link, countries) => ({
    subject: 'Confirm your subscription to travel advisories',
    text: [
      `Someone (we hope you) asked to receive travel advisory updates for ${countries ?? 'some countries'} at this address.`,
      '',
      `Confirm it here: ${link}`,
      '',
      'If this was not you, ignore this message: nothing more will be sent to this address.',
    ].join('\n'),
  }),
  subscriptionExists: (link) => ({
    subject: 'You are already subscribed to travel advisories',
    text: [
      'We received a new subscription request for this address, but it is already subscribed.',
      '',
      `To change your countries or how often you hear from us: ${link}`,
      '',
      'If this was not you, ignore this message: nothing has changed.',
    ].join('\n'),
  }),
  subscriptionWelcome: (link, countries) => ({
    subject: 'You are subscribed to travel advisories',
    text: [
      `You will receive travel advisory updates for ${countries ?? 'your countries'}.`,
      '',
      `To change your countries or how often you hear from us, or to unsubscribe: ${link}`,
    ].join('\n'),
  }),
  subscriptionManageLink: (link) => ({
    subject: 'Your link to manage your travel advisory subscription',
    text: [
      `Use this link to change or cancel your subscription: ${link}`,
      '',
      'If you did not ask for it, ignore this message.',
    ].join('\n'),
  }),

  advisoryTitle: (country, level, label, change) =>
    `${country} travel advisory: Level ${level}, ${label}${change ? ` (${change})` : ''}`,
  postureTitle: (country, post, title) => `${country}: ${post} ${title}`,
  advisoryUpdated: (country, edition) =>
    `The travel advisory for ${country} was updated${edition ? ` (edition ${edition})` : ''}.`,
  levelLine: (level, label) => `Level ${level}: ${label}.`,
  previousLevelLine: (level, label) => `It was Level ${level}: ${label}.`,
  risksLine: (risks) => `Risks: ${risks}.`,
  whatChanged: (note) => `What changed: ${note}`,
  postureLine: (post, country, words) => `${post} (${country}) ${words}.`,
  subscriberFooter: (link) => [
    '',
    '--',
    `To change your countries or how often you hear from us, or to unsubscribe: ${link}`,
  ],
  travellerFooter: (link) => [
    '',
    '--',
    'You receive this because you enrolled a trip to this country.',
    `To change your trips or stop messages: ${link}`,
  ],
  digestSubject: (day, count) => `Travel advisory updates for ${day} (${count})`,
  digestIntro: (day) => `Travel advisory updates published on ${day} (UTC).`,
  smsTail: (link) => ` Trips and stop: ${link}`,
  alert: {
    kinds: {
      security: 'Security alert',
      demonstration: 'Demonstration alert',
      health: 'Health alert',
      weather: 'Weather alert',
      message_for_citizens: 'Message for citizens',
      emergency: 'Emergency alert',
    },
    separator: ': ',
    drillPrefix: { Exercise: 'EXERCISE', Test: 'TEST' },
    drillBanner: {
      Exercise: 'EXERCISE: this is an exercise, not a real alert. No action is needed.',
      Test: 'TEST: this is a test message, not a real alert. No action is needed.',
    },
    msgTypeMarker: { Update: 'UPDATE', Cancel: 'CANCELLED' },
    sections: {
      location: 'Location',
      event: 'Event',
      actionsToTake: 'Actions to take',
      assistance: 'Assistance',
    },
    fallbackNote: 'This alert is not available in your language; it follows in English.',
    fallbackShort: '(in English)',
    validity: (from, until) => `In effect from ${from} until ${until}.`,
    checkIn: (link, deadline) => `Are you safe? Tell us by ${deadline}: ${link}`,
    checkInSafe: (link) => `I'm safe: ${link}`,
    checkInHelp: (link) => `I need help: ${link}`,
    checkInShort: (link, code) =>
      code ? `Are you safe? Reply SAFE ${code} or HELP ${code}` : `Are you safe? ${link}`,
    fullAlert: (link) => `Full alert: ${link}`,
    footer: (link) => [
      '',
      '--',
      'You receive this alert because you enrolled a trip in this area. Unsubscribing from travel advisories does not stop alerts.',
      `To change your trips or stop all messages: ${link}`,
    ],
    cancelEvent: (sentAt) => `The alert sent on ${sentAt} is cancelled. Disregard it.`,
    cancelActions: 'No action is needed.',
  },
};
