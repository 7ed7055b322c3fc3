import { Buffer } from 'node:buffer';
import { HeraldError } from '../../errors.js';
import type { EncodedPayload } from '../../serialization/encoded-payload.js';
import type { ConnectionConfig } from '../connection-config.js';

/**
 * The default `maxPayloadBytes` of every connection: 1 MiB of encoded event (JSON, UTF-8).
 * Events are usually a few hundred bytes, so this leaves room for rich ones, while blobs that
 * belong in object storage are refused at dispatch: each job is held whole in Redis memory (and
 * kept there by `removeOnComplete` / `removeOnFail` retention, up to 10,000 failed jobs), read
 * whole by every worker, and one Redis write of many MiB stalls every other client. Redis
 * itself would take up to 512 MB (`proto-max-bulk-len`); SQS, and so Laravel on SQS, stops at
 * 256 KB.
 */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/** An encoded event and an upper bound of its size (see `encodePayloadMeasured`). */
export interface SizedPayload {
  readonly eventName: string;
  readonly payload: EncodedPayload;
  readonly payloadMaxBytes: number;
}

/** Exact sizes, measured at most once per dispatch however many jobs share the payload. */
const measured = new WeakMap<SizedPayload, number>();

/**
 * Throws HeraldError `payload_too_large`, naming the size and the limit, when the encoded event
 * is larger than the connection's `maxPayloadBytes` (default {@link DEFAULT_MAX_PAYLOAD_BYTES}).
 * Runs for every job before it is pushed, on every driver, so `sync`, `memory` and `bullmq` agree
 * (test/unit/serialization/payload-limit.test.ts, test/integration/bullmq/big-payloads.test.ts).
 * Only an event whose size bound passes the limit is measured exactly.
 */
export function assertPayloadFits(
  facts: SizedPayload,
  connection: string,
  config: ConnectionConfig | undefined,
): void {
  const limit = config?.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if (facts.payloadMaxBytes <= limit) return;
  let size = measured.get(facts);
  if (size === undefined) {
    size = Buffer.byteLength(JSON.stringify(facts.payload));
    measured.set(facts, size);
  }
  if (size <= limit) return;
  throw new HeraldError(
    'payload_too_large',
    `The ${facts.eventName} event is ${size} bytes encoded, over the ${limit}-byte limit of queue connection "${connection}" (maxPayloadBytes): store large data elsewhere (a database, object storage) and dispatch its id or URL, or raise queue.connections.${connection}.maxPayloadBytes.`,
  );
}
