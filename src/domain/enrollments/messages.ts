/**
 * What Warden writes to a traveller's contact, rendered at send time (the deliveries table stores only the
 * template name). No message names the person or their trip: a mailbox read by someone else
 * learns only that an enrollment exists. Written in the traveller's language where there is a
 * catalogue for it (domain/messages), else in English.
 */
import { catalogue, type MessageLanguage, type Rendered } from '../messages/catalogue.ts';

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

export type { Rendered as RenderedMessage } from '../messages/catalogue.ts';

/** `link` is the message's link, or for verify_phone its code; `lang` a catalogue's language. */
export function renderMessage(
  template: MessageTemplate,
  link: string,
  lang: MessageLanguage = 'en',
): Rendered {
  const c = catalogue(lang);
  switch (template) {
    case 'verify_phone':
      return { subject: '', text: c.verifyPhone(link) };
    case 'verify_email':
      return c.verifyEmail(link);
    case 'already_enrolled':
      return c.alreadyEnrolled(link);
    case 'manage_link':
      return c.manageLink(link);
    case 'confirm_presence':
      return c.confirmPresence(link);
    default: {
      const never: never = template;
      throw new TypeError(`unknown template ${String(never)}`);
    }
  }
}
