/*
 * Check-ins: "Are you safe?" asked with an alert, answered by one click, an SMS reply or a
 * webhook callback. Pure types and rules; the store keeps every answer, the last one counts.
 */

/** What a person can answer. */
export const ANSWERS = ['safe', 'need_help'] as const;
export type Answer = (typeof ANSWERS)[number];

/** How an answer arrived (the channel the question reached them by, or staff on their behalf). */
export const ANSWER_CHANNELS = ['email', 'sms', 'webhook', 'staff'] as const;
export type AnswerChannel = (typeof ANSWER_CHANNELS)[number];

export const isAnswer = (s: string): s is Answer => (ANSWERS as readonly string[]).includes(s);
