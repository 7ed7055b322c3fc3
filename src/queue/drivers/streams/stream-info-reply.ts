/**
 * A record from an XINFO reply: RESP2 answers a flat list `[name, value, ...]`; RESP3 a map,
 * which ioredis hands over as a Map, an object or a list of pairs. Anything else is empty.
 */
export function recordOfReply(reply: unknown): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  if (reply instanceof Map) {
    for (const [key, value] of reply) record[String(key)] = value;
  } else if (Array.isArray(reply)) {
    if (reply.every((item) => Array.isArray(item) && item.length === 2)) {
      for (const [key, value] of reply as [unknown, unknown][]) record[String(key)] = value;
    } else {
      for (let index = 0; index + 1 < reply.length; index += 2)
        record[String(reply[index])] = reply[index + 1];
    }
  } else if (typeof reply === 'object' && reply !== null) {
    Object.assign(record, reply);
  }
  return record;
}

/** A number from a reply field; null for nil or anything not a number. */
export function numberOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}
