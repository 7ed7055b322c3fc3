/**
 * Whether a key part holds a Redis Cluster hash tag: Redis hashes only what is between the first
 * `{` and the next `}` when that is not empty, so every key sharing the tag shares a slot.
 */
export function hasHashTag(key: string): boolean {
  const open = key.indexOf('{');
  if (open === -1) return false;
  const close = key.indexOf('}', open + 1);
  return close > open + 1;
}
