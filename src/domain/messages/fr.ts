import type { Catalogue } from './catalogue.ts';

// French punctuation takes a space before ':' and '?': an ordinary one here, not the narrow
// no-break space, which only UCS-2 SMS can carry.
export const FR: Catalogue = {
  levels: {
    1: 'Prendre les précautions habituelles',
    2: "Faire preuve d'une vigilance accrue",
    3: 'Reconsidérer le voyage',
    4: 'Ne pas voyager',
  },
  indicators: {
    C: 'Criminalité',
    T: 'Terrorisme',
    U: 'Troubles civils',
    H: 'Santé',
    N: 'Catastrophe naturelle',
    E: 'Événement ponctuel',
    K: "Enlèvement ou prise d'otages",
    D: 'Détention arbitraire',
    O: 'Autre',
  },
  stateWords: {
    normal: 'a repris ses activités normales',
    authorized_departure:
      'est en départ autorisé : le personnel non essentiel et les membres des familles peuvent partir',
    ordered_departure:
      'est en départ ordonné : le personnel non essentiel et les membres des familles doivent partir',
    suspended: 'a suspendu ses activités',
  },
  stateTitles: {
    normal: 'reprend ses activités normales',
    authorized_departure: 'est en départ autorisé',
    ordered_departure: 'est en départ ordonné',
    suspended: 'suspend ses activités',
  },
  otherState: (state) => `est désormais : ${state.replace(/_/g, ' ')}`,
  yesterday: 'hier',
  list: (items) => items.join(', '),

  verifyPhone: (code) =>
    `Warden : votre code de vérification est ${code}. Il expire dans 15 minutes. Si vous ne vous êtes pas inscrit, ignorez ce message.`,
  verifyEmail: (link) => ({
    subject: 'Confirmez votre adresse pour les alertes de sécurité en voyage',
    text: [
      "Quelqu'un (vous, nous l'espérons) a inscrit cette adresse pour recevoir des alertes de sécurité à l'étranger.",
      '',
      `Confirmez-la ici : ${link}`,
      '',
      "Si ce n'était pas vous, ignorez ce message : rien ne sera envoyé à cette adresse.",
    ].join('\n'),
  }),
  alreadyEnrolled: (link) => ({
    subject: 'Vous êtes déjà inscrit aux alertes de sécurité en voyage',
    text: [
      'Nous avons reçu une nouvelle inscription pour cette adresse, mais elle est déjà inscrite.',
      '',
      `Pour voir ou modifier vos voyages et vos coordonnées, utilisez ce lien : ${link}`,
      '',
      "Si ce n'était pas vous, ignorez ce message : rien n'a changé.",
    ].join('\n'),
  }),
  manageLink: (link) => ({
    subject: 'Votre lien pour gérer votre inscription',
    text: [
      `Utilisez ce lien pour voir ou modifier votre inscription : ${link}`,
      '',
      "Il ne fonctionne qu'une fois et expire bientôt. Si vous ne l'avez pas demandé, ignorez ce message.",
    ].join('\n'),
  }),
  confirmPresence: (link) => ({
    subject: "Êtes-vous toujours sur place ? Confirmez votre séjour à l'étranger",
    text: [
      "Vous avez enregistré un séjour à l'étranger sans date de fin. Pour que nous puissions vous joindre en cas d'événement, merci de confirmer que vous êtes toujours sur place :",
      '',
      link,
      '',
      'Si vous êtes parti, ne confirmez pas : demandez un lien pour gérer votre inscription, puis terminez ou supprimez le voyage.',
    ].join('\n'),
  }),

  subscriptionVerify: (link, countries) => ({
    subject: 'Confirmez votre abonnement aux conseils aux voyageurs',
    text: [
      `Quelqu'un (vous, nous l'espérons) a demandé à recevoir à cette adresse les mises à jour des conseils aux voyageurs pour ${countries ?? 'certains pays'}.`,
      '',
      `Confirmez-le ici : ${link}`,
      '',
      "Si ce n'était pas vous, ignorez ce message : plus rien ne sera envoyé à cette adresse.",
    ].join('\n'),
  }),
  subscriptionExists: (link) => ({
    subject: 'Vous êtes déjà abonné aux conseils aux voyageurs',
    text: [
      "Nous avons reçu une nouvelle demande d'abonnement pour cette adresse, mais elle est déjà abonnée.",
      '',
      `Pour changer vos pays ou la fréquence de nos messages : ${link}`,
      '',
      "Si ce n'était pas vous, ignorez ce message : rien n'a changé.",
    ].join('\n'),
  }),
  subscriptionWelcome: (link, countries) => ({
    subject: 'Vous êtes abonné aux conseils aux voyageurs',
    text: [
      `Vous recevrez les mises à jour des conseils aux voyageurs pour ${countries ?? 'vos pays'}.`,
      '',
      `Pour changer vos pays ou la fréquence de nos messages, ou pour vous désabonner : ${link}`,
    ].join('\n'),
  }),
  subscriptionManageLink: (link) => ({
    subject: 'Votre lien pour gérer votre abonnement aux conseils aux voyageurs',
    text: [
      `Utilisez ce lien pour modifier ou résilier votre abonnement : ${link}`,
      '',
      "Si vous ne l'avez pas demandé, ignorez ce message.",
    ].join('\n'),
  }),

  advisoryTitle: (country, level, label, change) =>
    `Conseils aux voyageurs, ${country} : niveau ${level}, ${label}${change === 'raised' ? ' (relevé)' : change === 'lowered' ? ' (abaissé)' : ''}`,
  postureTitle: (country, post, title) => `${country} : ${post} ${title}`,
  advisoryUpdated: (country, edition) =>
    `Les conseils aux voyageurs pour ${country} ont été mis à jour${edition ? ` (édition ${edition})` : ''}.`,
  levelLine: (level, label) => `Niveau ${level} : ${label}.`,
  previousLevelLine: (level, label) => `C'était le niveau ${level} : ${label}.`,
  risksLine: (risks) => `Risques : ${risks}.`,
  whatChanged: (note) => `Ce qui a changé : ${note}`,
  postureLine: (post, country, words) => `${post} (${country}) ${words}.`,
  subscriberFooter: (link) => [
    '',
    '--',
    `Pour changer vos pays ou la fréquence de nos messages, ou pour vous désabonner : ${link}`,
  ],
  travellerFooter: (link) => [
    '',
    '--',
    'Vous recevez ce message parce que vous avez enregistré un voyage dans ce pays.',
    `Pour modifier vos voyages ou ne plus recevoir de messages : ${link}`,
  ],
  digestSubject: (day, count) => `Conseils aux voyageurs : mises à jour du ${day} (${count})`,
  digestIntro: (day) => `Mises à jour des conseils aux voyageurs publiées le ${day} (UTC).`,
  smsTail: (link) => ` Voyages et arrêt : ${link}`,
  alert: {
    kinds: {
      security: 'Alerte de sécurité',
      demonstration: 'Alerte manifestations',
      health: 'Alerte sanitaire',
      weather: 'Alerte météo',
      message_for_citizens: 'Message aux ressortissants',
      emergency: "Alerte d'urgence",
    },
    separator: ' : ',
    drillPrefix: { Exercise: 'EXERCICE', Test: 'TEST' },
    drillBanner: {
      Exercise: "EXERCICE : ce message est un exercice, pas une vraie alerte. Aucune action n'est requise.",
      Test: "TEST : ce message est un test, pas une vraie alerte. Aucune action n'est requise.",
    },
    msgTypeMarker: { Update: 'MISE À JOUR', Cancel: 'ANNULATION' },
    sections: {
      location: 'Lieu',
      event: 'Événement',
      actionsToTake: 'Mesures à prendre',
      assistance: 'Assistance',
    },
    fallbackNote: "Cette alerte n'existe pas dans votre langue ; la voici en anglais.",
    fallbackShort: '(en anglais)',
    validity: (from, until) => `En vigueur du ${from} au ${until}.`,
    checkIn: (link, deadline) => `Êtes-vous en sécurité ? Répondez avant le ${deadline} : ${link}`,
    checkInSafe: (link) => `Je suis en sécurité : ${link}`,
    checkInHelp: (link) => `J'ai besoin d'aide : ${link}`,
    // No Ê here: it alone would make a French SMS UCS-2, at less than half the room.
    checkInShort: (link, code) =>
      code ? `En sécurité ? Répondez SAFE ${code} ou HELP ${code}` : `En sécurité ? Répondez : ${link}`,
    fullAlert: (link) => `Alerte complète : ${link}`,
    footer: (link) => [
      '',
      '--',
      "Vous recevez cette alerte car vous avez enregistré un voyage dans cette zone. Se désabonner des conseils aux voyageurs n'arrête pas les alertes.",
      `Pour modifier vos voyages ou arrêter tous les messages : ${link}`,
    ],
    cancelEvent: (sentAt) => `L'alerte envoyée le ${sentAt} est annulée. N'en tenez pas compte.`,
    cancelActions: "Aucune action n'est requise.",
  },
};
