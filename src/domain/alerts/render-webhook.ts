import type { MessageLanguage } from '../messages/languages.ts';
import { type AlertMessageInput, localizeAlert } from './localize.ts';
import type { AlertArea, AlertKind, AlertSections, AlertStatus, CapFields, MsgType, Scope } from './types.ts';

/**
 * The JSON body of an alert webhook, in the Standard Webhooks shape ({ type, timestamp, data }; the
 * signer adds the webhook-id/-timestamp/-signature headers). Machine fields keep CAP's vocabulary;
 * text is the recipient's language or English (fallback: true), and a drill's title starts with
 * its prefix like every other channel, with `drill` set for programs.
 */
export interface AlertWebhookPayload {
  readonly type: 'alert.issued' | 'alert.updated' | 'alert.cancelled';
  /** When the alert was sent (the delivery attempt's time travels in the signed header). */
  readonly timestamp: string;
  readonly data: {
    readonly id: string;
    readonly msgType: MsgType;
    readonly status: AlertStatus;
    readonly drill: boolean;
    readonly scope: Scope;
    readonly kind: AlertKind;
    /** Drill prefix, Update/Cancel marker, kind and headline, in `language`'s words. */
    readonly title: string;
    readonly headline: string;
    readonly sections: AlertSections;
    /** The recipient's language. */
    readonly language: MessageLanguage;
    /** The language of headline and sections. */
    readonly textLanguage: MessageLanguage;
    readonly fallback: boolean;
    readonly sentAt: string;
    readonly cap: CapFields;
    readonly area: AlertArea;
    readonly references: readonly { readonly id: string; readonly sentAt: string }[];
    readonly checkIn: {
      readonly requested: boolean;
      readonly deadline: string | null;
      readonly url: string | null;
    };
    readonly links: { readonly alert: string; readonly manage: string };
  };
}

const TYPE: Record<MsgType, AlertWebhookPayload['type']> = {
  Alert: 'alert.issued',
  Update: 'alert.updated',
  Cancel: 'alert.cancelled',
};

export function renderAlertWebhook(i: AlertMessageInput): AlertWebhookPayload {
  const c = i.alert.content;
  const l = localizeAlert(c, i.language);
  return {
    type: TYPE[c.msgType],
    timestamp: i.alert.sentAt,
    data: {
      id: i.alert.id,
      msgType: c.msgType,
      status: c.status,
      drill: c.status !== 'Actual',
      scope: c.scope,
      kind: c.kind,
      title: l.title,
      headline: l.text.headline,
      sections: l.text.sections,
      language: i.language,
      textLanguage: l.textLanguage,
      fallback: l.fallback,
      sentAt: i.alert.sentAt,
      cap: c.cap,
      area: c.area,
      references: c.references.map((r) => ({ id: r.alertId, sentAt: r.sentAt })),
      checkIn: {
        requested: c.checkIn.requested,
        deadline: c.checkIn.deadline,
        url: c.checkIn.requested ? (i.links.checkIn ?? null) : null,
      },
      links: { alert: i.links.alert, manage: i.links.manage },
    },
  };
}
