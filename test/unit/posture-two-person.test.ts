import { describe, expect, it } from 'vitest';
import { checkApprover, needsSecondPerson } from '../../src/domain/approvals/two-person.ts';
import {
  checkConsistency,
  checkTransition,
  isDrawnDown,
  needsApproval,
} from '../../src/domain/posts/posture.ts';
import {
  DEPARTURE_SCOPES,
  type Departure,
  POSTURE_STATES,
  type PostureState,
} from '../../src/domain/posts/types.ts';

interface Node {
  readonly state: PostureState;
  readonly departure: Departure;
}

/** Every posture the state machine accepts: each state with each departure scope that fits it. */
const NODES: Node[] = POSTURE_STATES.flatMap((state) =>
  DEPARTURE_SCOPES.flatMap((staff) =>
    DEPARTURE_SCOPES.flatMap((family) => {
      try {
        checkConsistency(state, { staff, family });
        return [{ state, departure: { staff, family } }];
      } catch {
        return [];
      }
    }),
  ),
);

const legal = (from: Node, to: Node): boolean => {
  try {
    checkTransition(from.state, to.state);
    return true;
  } catch {
    return false;
  }
};

/** What one officer can do alone: a legal change that needs nobody else. */
const alone = (from: Node, to: Node): boolean => legal(from, to) && !needsApproval(from, to);
const key = (n: Node) => `${n.state}/${n.departure.staff}/${n.departure.family}`;
const ORDERED_OUT = new Set<PostureState>(['ordered_departure', 'suspended']);

describe('two-person rule on every path', () => {
  it('knows every consistent posture, including ordered departure reached through one scope', () => {
    expect(NODES.length).toBe(1 + 3 + 5 + 1);
    expect(NODES.filter((n) => n.state === 'ordered_departure').map((n) => n.departure)).toContainEqual({
      staff: 'none',
      family: 'ordered',
    });
  });

  it('every pair of states: a change into or out of ordered departure or suspension needs a second person', () => {
    for (const from of POSTURE_STATES) {
      for (const to of POSTURE_STATES) {
        const expected = ORDERED_OUT.has(from) || ORDERED_OUT.has(to);
        expect(needsApproval(from, to), `${from} -> ${to}`).toBe(expected);
      }
    }
    // And for every departure scope on either side (staff ordered but family not, and so on).
    for (const from of NODES) {
      for (const to of NODES) {
        const touches = from.departure.staff === 'ordered' || from.departure.family === 'ordered';
        const reaches = to.departure.staff === 'ordered' || to.departure.family === 'ordered';
        if (touches || reaches) expect(needsApproval(from, to), `${key(from)} -> ${key(to)}`).toBe(true);
      }
    }
  });

  it('every two-step path of single-officer changes stays on the same side of the line', () => {
    let paths = 0;
    for (const a of NODES) {
      for (const b of NODES) {
        for (const c of NODES) {
          if (!legal(a, b) || !legal(b, c)) continue;
          paths++;
          if (isDrawnDown(a) !== isDrawnDown(c)) {
            expect(alone(a, b) && alone(b, c), `${key(a)} -> ${key(b)} -> ${key(c)}`).toBe(false);
          }
        }
      }
    }
    expect(paths).toBeGreaterThan(300);
    // The path of issue 11: ordered -> authorized -> normal, one officer alone.
    const ordered = NODES.find((n) => n.state === 'ordered_departure')!;
    const authorized = NODES.find((n) => n.state === 'authorized_departure')!;
    expect(alone(ordered, authorized)).toBe(false);
  });

  it('no path of any length: what one officer can reach alone never crosses the line', () => {
    for (const start of NODES) {
      const seen = new Set([key(start)]);
      const queue = [start];
      while (queue.length > 0) {
        const n = queue.shift()!;
        for (const next of NODES) {
          if (alone(n, next) && !seen.has(key(next))) {
            seen.add(key(next));
            queue.push(next);
          }
        }
      }
      for (const k of seen) {
        const n = NODES.find((x) => key(x) === k)!;
        expect(isDrawnDown(n), `${key(start)} reaches ${k} alone`).toBe(isDrawnDown(start));
      }
      // A drawn-down post cannot move at all without a second person.
      if (isDrawnDown(start)) expect(seen.size).toBe(1);
    }
  });

  it('the shared approver check: not an author, and only the content reviewed', () => {
    const q = { id: 'r', authors: ['user:a', 'user:b'], contentHash: 'h1' };
    expect(() => checkApprover(q, 'user:b', 'h1')).toThrow(
      expect.objectContaining({ code: 'self_approval' }),
    );
    expect(() => checkApprover(q, 'user:c', 'h0')).toThrow(
      expect.objectContaining({ code: 'approval_stale' }),
    );
    expect(() => checkApprover(q, 'user:c', 'h1')).not.toThrow();
    const rule = { guarded: (s: string) => s === 'x' };
    expect(needsSecondPerson(rule, 'a', 'b')).toBe(false);
    expect(needsSecondPerson(rule, 'x', 'b')).toBe(true);
    expect(needsSecondPerson(rule, 'a', 'x')).toBe(true);
  });
});
