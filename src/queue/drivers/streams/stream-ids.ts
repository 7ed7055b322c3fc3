/** A stream entry id `<ms>-<seq>` as two numbers (both stay below 2^53 in practice). */
function partsOf(id: string): [number, number] {
  const dash = id.indexOf('-');
  if (dash === -1) return [Number(id), 0];
  return [Number(id.slice(0, dash)), Number(id.slice(dash + 1))];
}

/** Negative, zero or positive as entry id `a` sorts before, with or after `b`. */
export function compareIds(a: string, b: string): number {
  const [aMs, aSeq] = partsOf(a);
  const [bMs, bSeq] = partsOf(b);
  return aMs === bMs ? aSeq - bSeq : aMs - bMs;
}

/** The smallest entry id after `id`: an XTRIM MINID at it removes `id` and everything older. */
export function nextId(id: string): string {
  const [ms, seq] = partsOf(id);
  return `${ms}-${seq + 1}`;
}

/** The earlier of two entry ids. */
export function minId(a: string, b: string): string {
  return compareIds(a, b) <= 0 ? a : b;
}

/** Largest sequence number of a stream id (Redis ids are `<ms>-<seq>`, both unsigned 64-bit). */
const MAX_SEQUENCE = '18446744073709551615';

/**
 * The id just before `id`, for XGROUP SETID: a group set there delivers `id` next. `0-0` has none
 * before it and stays `0-0` (a group at `0-0` reads the whole log).
 */
export function idBefore(id: string): string {
  const [ms = '0', seq = '0'] = id.split('-');
  if (BigInt(seq) > 0n) return `${ms}-${BigInt(seq) - 1n}`;
  if (BigInt(ms) > 0n) return `${BigInt(ms) - 1n}-${MAX_SEQUENCE}`;
  return '0-0';
}

/** The append time (epoch ms) an id carries. */
export function timeOfId(id: string): number {
  return Number(id.split('-')[0]);
}
