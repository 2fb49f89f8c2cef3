/**
 * What Warden writes to a traveller's contact, rendered at send time (the outbox stores only the
 * template name). No message names the person or their trip: a mailbox read by someone else
 * learns only that an enrollment exists. English for now; `language` picks the text later.
 */
export const MESSAGE_TEMPLATES = [
  'verify_email',
  'verify_phone',
  'already_enrolled',
  'manage_link',
  'confirm_presence',
] as const;
export type MessageTemplate = (typeof MESSAGE_TEMPLATES)[number];

export const isMessageTemplate = (s: string): s is MessageTemplate =>
  (MESSAGE_TEMPLATES as readonly string[]).includes(s);

export interface RenderedMessage {
  readonly subject: string;
  readonly text: string;
}

/** `link` is the message's link, or for verify_phone its code. */
export function renderMessage(template: MessageTemplate, link: string): RenderedMessage {
  switch (template) {
    case 'verify_phone':
      return {
        subject: '',
        text: `Warden: your verification code is ${link}. It expires in 15 minutes. If you did not enroll, ignore this.`,
      };
    case 'verify_email':
      return {
        subject: 'Confirm your email for travel safety alerts',
        text: [
          'Someone (we hope you) enrolled this address to receive safety alerts while abroad.',
          '',
          `Confirm it here: ${link}`,
          '',
          'If this was not you, ignore this message: nothing will be sent to this address.',
        ].join('\n'),
      };
    case 'already_enrolled':
      return {
        subject: 'You are already enrolled for travel safety alerts',
        text: [
          'We received a new enrollment for this address, but it is already enrolled.',
          '',
          `To see or change your trips and contacts, use this link: ${link}`,
          '',
          'If this was not you, ignore this message: nothing has changed.',
        ].join('\n'),
      };
    case 'manage_link':
      return {
        subject: 'Your link to manage your travel enrollment',
        text: [
          `Use this link to see or change your enrollment: ${link}`,
          '',
          'It works once and expires soon. If you did not ask for it, ignore this message.',
        ].join('\n'),
      };
    case 'confirm_presence':
      return {
        subject: 'Are you still there? Confirm your stay abroad',
        text: [
          'You enrolled a stay abroad without an end date. So that we can reach you if something happens, please confirm you are still there:',
          '',
          link,
          '',
          'If you have left, do not confirm: ask for a link to manage your enrollment and end or remove the trip.',
        ].join('\n'),
      };
    default: {
      const never: never = template;
      throw new TypeError(`unknown template ${String(never)}`);
    }
  }
}
