/**
 * `items` in the order `keys` gives (the order shown when it was frozen), with items not in it
 * (new since) after them in their own order. An item gone since is simply not there.
 */
export function stableOrder<T extends { key: string }>(
  items: readonly T[],
  keys: readonly string[],
): T[] {
  const byKey = new Map(items.map((item) => [item.key, item]));
  const held: T[] = [];
  for (const key of keys) {
    const item = byKey.get(key);
    if (item) {
      held.push(item);
      byKey.delete(key);
    }
  }
  // What is left is new: appended, so nothing already on screen moves.
  return [...held, ...items.filter((item) => byKey.has(item.key))];
}
