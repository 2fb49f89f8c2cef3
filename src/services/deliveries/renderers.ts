/**
 * Every renderer by template name. A feature that sends adds its own here (one import, one
 * entry per template); the worker looks a delivery's `template` up in this table, so
 * `warden worker` knows every message without importing routes.
 */

import { MESSAGE_TEMPLATES } from '../../domain/enrollments/messages.ts';
import { SUBSCRIPTION_TEMPLATES } from '../../domain/subscriptions/messages.ts';
import { ALERT_TEMPLATE, renderAlertDelivery } from '../alerts/deliver.ts';
import { NEED_HELP_TEMPLATE } from '../checkins/answers.ts';
import { EMERGENCY_TEMPLATE, renderEmergencyContact } from '../checkins/escalation.ts';
import { renderNeedHelp } from '../checkins/need-help.ts';
import { expandManageRequest, MANAGE_REQUEST } from '../enrollments/self.ts';
import { renderEnrollmentDelivery } from '../enrollments/verification.ts';
import { renderSubscriptionDelivery } from '../subscriptions/messages.ts';
import { expandSubscriptionLinkRequest, SUBSCRIPTION_LINK_REQUEST } from '../subscriptions/subscriptions.ts';
import type { Renderer } from './render.ts';

export const RENDERERS: Readonly<Record<string, Renderer>> = {
  ...Object.fromEntries(MESSAGE_TEMPLATES.map((t) => [t, renderEnrollmentDelivery])),
  ...Object.fromEntries(SUBSCRIPTION_TEMPLATES.map((t) => [t, renderSubscriptionDelivery])),
  [ALERT_TEMPLATE]: renderAlertDelivery,
  [NEED_HELP_TEMPLATE]: renderNeedHelp,
  [EMERGENCY_TEMPLATE]: renderEmergencyContact,
  [MANAGE_REQUEST]: expandManageRequest,
  [SUBSCRIPTION_LINK_REQUEST]: expandSubscriptionLinkRequest,
};
