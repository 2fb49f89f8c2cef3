import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ESCALATION,
  type EscalationState,
  escalationRefusal,
  isDue,
  nextEscalation,
} from '../../../src/domain/checkins/escalation.ts';

const base: EscalationState = {
  firstSentAt: '2026-12-08T00:00:00.000Z',
  channels: ['email', 'sms'],
  repeatsDone: 0,
  emergencyContactTold: false,
  hasEmergencyContact: true,
  answered: false,
  deadline: '2026-12-08T04:00:00.000Z',
};

describe('escalation schedule', () => {
  it('repeats at the set intervals, each time on the next channel', () => {
    expect(nextEscalation(DEFAULT_ESCALATION, base)).toEqual({
      kind: 'repeat',
      at: '2026-12-08T00:30:00.000Z',
      channel: 'sms',
      attempt: 1,
    });
    expect(nextEscalation(DEFAULT_ESCALATION, { ...base, repeatsDone: 1 })).toEqual({
      kind: 'repeat',
      at: '2026-12-08T02:00:00.000Z',
      channel: 'email',
      attempt: 2,
    });
  });

  it('makes no repeat past the deadline; the emergency contact comes then, once, if asked for', () => {
    const settings = { ...DEFAULT_ESCALATION, notifyEmergencyContact: true };
    // The third repeat (6 h) falls after the 4 h deadline.
    expect(nextEscalation(settings, { ...base, repeatsDone: 2 })).toEqual({
      kind: 'emergency_contact',
      at: base.deadline,
    });
    expect(nextEscalation(DEFAULT_ESCALATION, { ...base, repeatsDone: 2 })).toEqual({ kind: 'done' });
    expect(nextEscalation(settings, { ...base, repeatsDone: 2, emergencyContactTold: true })).toEqual({
      kind: 'done',
    });
    expect(nextEscalation(settings, { ...base, repeatsDone: 2, hasEmergencyContact: false })).toEqual({
      kind: 'done',
    });
  });

  it('stops the moment the person answers (property)', () => {
    fc.assert(
      fc.property(fc.nat(5), fc.boolean(), (repeatsDone, told) => {
        const s = { ...base, repeatsDone, emergencyContactTold: told, answered: true };
        const step = nextEscalation({ ...DEFAULT_ESCALATION, notifyEmergencyContact: true }, s);
        expect(step).toEqual({ kind: 'done' });
        expect(isDue(step, '2099-01-01T00:00:00.000Z')).toBe(false);
      }),
    );
  });

  it('steps move forward in time and end (property)', () => {
    fc.assert(
      fc.property(
        fc
          .uniqueArray(fc.integer({ min: 5, max: 2000 }), { maxLength: 6 })
          .map((a) => a.sort((x, y) => x - y)),
        fc.option(fc.integer({ min: 1, max: 3000 }), { nil: null }),
        (repeat, deadlineMin) => {
          const settings = { repeatAfterMinutes: repeat, notifyEmergencyContact: true };
          expect(escalationRefusal(settings)).toBeNull();
          const deadline =
            deadlineMin === null
              ? null
              : new Date(Date.parse(base.firstSentAt) + deadlineMin * 60_000).toISOString();
          let st: EscalationState = { ...base, deadline };
          let last = '';
          for (let i = 0; i < 20; i++) {
            const step = nextEscalation(settings, st);
            if (step.kind === 'done') return;
            expect(step.at >= last).toBe(true);
            last = step.at;
            st =
              step.kind === 'repeat'
                ? { ...st, repeatsDone: st.repeatsDone + 1 }
                : { ...st, emergencyContactTold: true };
          }
          throw new Error('escalation did not end');
        },
      ),
    );
  });

  it.each([
    [[5, 5], 'Repeat times must increase.'],
    [[4], 'Repeat times are whole minutes from 5 to 10080.'],
    [[1.5], 'Repeat times are whole minutes from 5 to 10080.'],
    [Array.from({ length: 11 }, (_, i) => 10 + i), 'At most 10 repeats.'],
  ])('refuses %j', (repeatAfterMinutes, message) => {
    expect(escalationRefusal({ repeatAfterMinutes, notifyEmergencyContact: false })).toBe(message);
  });
});
