/*
 * Escalation: people who have not answered are asked again at set intervals, each time on their
 * next channel (round robin over the channels they have), and after the deadline their emergency
 * contact may be told that we are trying to reach them. Settings come per alert, with defaults per
 * post. Pure: given the settings and what has happened to one person, the next step and when.
 * The moment a person answers there is no next step.
 */

export interface EscalationSettings {
  /** Minutes after the first send at which to ask again; empty = never ask again. */
  readonly repeatAfterMinutes: readonly number[];
  /** After the deadline, tell the person's emergency contact (once). */
  readonly notifyEmergencyContact: boolean;
}

export const DEFAULT_ESCALATION: EscalationSettings = {
  repeatAfterMinutes: [30, 120, 360],
  notifyEmergencyContact: false,
};

export const MAX_REPEATS = 10;
/** A week: past that, asking again is noise. */
export const MAX_REPEAT_MINUTES = 7 * 24 * 60;

/** A reason the settings are refused, or null. */
export function escalationRefusal(s: EscalationSettings): string | null {
  const r = s.repeatAfterMinutes;
  if (r.length > MAX_REPEATS) return `At most ${MAX_REPEATS} repeats.`;
  for (let i = 0; i < r.length; i++) {
    const m = r[i] as number;
    if (!Number.isInteger(m) || m < 5 || m > MAX_REPEAT_MINUTES) {
      return `Repeat times are whole minutes from 5 to ${MAX_REPEAT_MINUTES}.`;
    }
    if (i > 0 && m <= (r[i - 1] as number)) return 'Repeat times must increase.';
  }
  return null;
}

export interface EscalationState {
  /** When the alert was first sent to this person. */
  readonly firstSentAt: string;
  /** Channels the person can be reached on, in the order they are preferred (first = first send). */
  readonly channels: readonly string[];
  /** Repeats already made. */
  readonly repeatsDone: number;
  readonly emergencyContactTold: boolean;
  readonly hasEmergencyContact: boolean;
  readonly answered: boolean;
  /** The check-in deadline, if any. */
  readonly deadline: string | null;
}

export type EscalationStep =
  | { readonly kind: 'repeat'; readonly at: string; readonly channel: string; readonly attempt: number }
  | { readonly kind: 'emergency_contact'; readonly at: string }
  | { readonly kind: 'done' };

const addMinutes = (t: string, m: number): string => new Date(Date.parse(t) + m * 60_000).toISOString();

/**
 * The next step for one person. Repeats past the deadline are not made (the emergency contact
 * comes then instead); a step's `at` may be in the past, meaning "due now".
 */
export function nextEscalation(s: EscalationSettings, st: EscalationState): EscalationStep {
  if (st.answered) return { kind: 'done' };
  const due = s.repeatAfterMinutes[st.repeatsDone];
  if (due !== undefined && st.channels.length > 0) {
    const at = addMinutes(st.firstSentAt, due);
    if (st.deadline === null || at < st.deadline) {
      // The first send used channels[0]; repeat n uses the next one round the list.
      const channel = st.channels[(st.repeatsDone + 1) % st.channels.length] as string;
      return { kind: 'repeat', at, channel, attempt: st.repeatsDone + 1 };
    }
  }
  if (
    s.notifyEmergencyContact &&
    st.deadline !== null &&
    st.hasEmergencyContact &&
    !st.emergencyContactTold
  ) {
    return { kind: 'emergency_contact', at: st.deadline };
  }
  return { kind: 'done' };
}

/** Whether a step is due at `now`. */
export const isDue = (step: EscalationStep, now: string): boolean => step.kind !== 'done' && step.at <= now;
