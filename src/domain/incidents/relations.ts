/**
 * Whether adding `from part_of to` would close a loop of part_of relations (a unit cannot,
 * through any chain, contain itself). Returns the loop as actor ids, from `from` back to it, or
 * null. `partOf` maps each actor to the actors it is part of.
 */
export function findPartOfCycle(
  from: string,
  to: string,
  partOf: ReadonlyMap<string, readonly string[]>,
): string[] | null {
  if (from === to) return [from, from];
  // Depth-first from `to` along part_of edges, remembering how each actor was reached.
  const cameFrom = new Map<string, string>([[to, from]]);
  const stack = [to];
  while (stack.length > 0) {
    const at = stack.pop()!;
    for (const next of partOf.get(at) ?? []) {
      if (next === from) {
        const path = [from];
        for (let x: string | undefined = at; x !== undefined && x !== from; x = cameFrom.get(x)) path.push(x);
        path.reverse();
        return [from, ...path.slice(0, -1), from];
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, at);
        stack.push(next);
      }
    }
  }
  return null;
}
