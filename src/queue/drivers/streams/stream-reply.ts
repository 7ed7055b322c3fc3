/** One entry read off a stream: its key, id and flat field list (null when it was deleted). */
export interface StreamEntry {
  readonly key: string;
  readonly id: string;
  readonly fields: readonly string[] | null;
}

/**
 * The entries of an XREADGROUP / XREAD reply (`[[key, [[id, fields], ...]], ...]`, or null when
 * the block timed out), flattened in reply order. Anything unexpected is skipped, never thrown.
 */
export function entriesOfReply(reply: unknown): StreamEntry[] {
  const entries: StreamEntry[] = [];
  if (!Array.isArray(reply)) return entries;
  for (const [key, list] of streamsOfReply(reply)) {
    if (typeof key !== 'string' || !Array.isArray(list)) continue;
    for (const entry of list as unknown[]) {
      const parsed = entryOf(key, entry);
      if (parsed !== undefined) entries.push(parsed);
    }
  }
  return entries;
}

/**
 * The `[key, entries]` pairs of a reply: RESP2 answers a list of pairs, RESP3 (ioredis 6's
 * default protocol where the server has it) a map, which ioredis flattens to key, entries, ...
 */
function streamsOfReply(reply: readonly unknown[]): [unknown, unknown][] {
  if (typeof reply[0] === 'string') {
    const pairs: [unknown, unknown][] = [];
    for (let index = 0; index + 1 < reply.length; index += 2) pairs.push([reply[index], reply[index + 1]]);
    return pairs;
  }
  return reply.map((pair) => (Array.isArray(pair) ? [pair[0], pair[1]] : [undefined, undefined]));
}

/** One `[id, fields]` pair of an XRANGE / XREADGROUP reply, or undefined if malformed. */
export function entryOf(key: string, entry: unknown): StreamEntry | undefined {
  if (!Array.isArray(entry) || typeof entry[0] !== 'string') return undefined;
  const fields = entry[1];
  return {
    key,
    id: entry[0],
    fields: Array.isArray(fields) ? fields.map((field) => String(field)) : null,
  };
}
