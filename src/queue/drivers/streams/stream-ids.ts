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
