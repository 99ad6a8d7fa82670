// How deeply a parsed JSON value nests, measured without recursion: every walk over input that recurses
// (schema validation, the event hash, structuredClone) must first know the input is shallow enough, or a
// document nested twenty thousand levels deep overflows the stack (a 500 instead of a 400).

/** Deepest nesting EPCIS input may have: real documents stay under 15 (sensor data in extensions). */
export const MAX_JSON_DEPTH = 64;

/** Whether `value` nests objects or arrays more than `max` levels deep. Iterative; stops at the first. */
export function nestedDeeperThan(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > max) return true;
    const children = Array.isArray(node) ? node : Object.values(node as Record<string, unknown>);
    for (const child of children)
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
