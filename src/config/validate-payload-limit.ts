import { HeraldError } from '../errors.js';

/**
 * The largest `maxPayloadBytes` a connection accepts: 256 MiB. Whatever is accepted must
 * round-trip, and a job travels as one JSON string: V8 strings stop just short of 512 MiB (as
 * does one Redis value, `proto-max-bulk-len`), with the job's envelope on top of the payload.
 */
const LARGEST = 256 * 1024 * 1024;

/** Checks a connection's `maxPayloadBytes` (any driver); throws `config_invalid` naming the key. */
export function validateMaxPayloadBytes(value: unknown, where: string): void {
  if (value === undefined) return;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= LARGEST) return;
  throw new HeraldError(
    'config_invalid',
    `herald config: "${where}.maxPayloadBytes" must be a whole number of bytes from 1 to ${LARGEST} (256 MiB), e.g. 4 * 1024 * 1024 for 4 MiB (got ${typeof value === 'number' ? value : typeof value}).`,
  );
}
