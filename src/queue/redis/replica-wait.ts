import { Cluster } from 'ioredis';
import { HeraldError } from '../../errors.js';
import type { RedisReplicaFields } from '../connection-config.js';
import type { RedisClient } from './custom-client.js';

/** Where the writes went, for the message. */
export interface ReplicaWaitContext {
  /** The queue connection's name. */
  readonly connection: string;
  /** Where Redis is (describeTarget). */
  readonly redis: string;
  /** What was written: `'job'` (bullmq) or `'entry'` (streams). */
  readonly what: string;
}

/** How long (ms) `WAIT` may take: `waitForReplicasTimeout`, else the connection's `unavailableTimeout`. */
export function replicaWaitTimeout(config: RedisReplicaFields, unavailableTimeout: number): number {
  return config.waitForReplicasTimeout ?? unavailableTimeout;
}

/**
 * After writes on `client` were acknowledged by the master: `WAIT wanted timeout` (it covers
 * every write this connection made before it, so one per pipeline is enough). Undefined when
 * `wanted` replicas have them (or none is wanted); else the `queue_unavailable` error for each
 * of those writes, saying how many replicas acknowledged and that the write may still exist.
 * A WAIT that fails (the connection dropped in a failover) gives that error too.
 */
export async function confirmReplicas(
  client: RedisClient,
  config: RedisReplicaFields,
  unavailableTimeout: number,
  context: ReplicaWaitContext,
): Promise<HeraldError | undefined> {
  const wanted = config.waitForReplicas ?? 0;
  if (wanted === 0) return undefined;
  const timeout = replicaWaitTimeout(config, unavailableTimeout);
  const { connection, redis, what } = context;
  if (client instanceof Cluster) {
    return new HeraldError(
      'config_invalid',
      `The queue connection "${connection}" sets waitForReplicas but its createClient returned a Redis Cluster: WAIT counts one node's replicas and a dispatch writes to several shards. Remove waitForReplicas or return a single-server client.`,
    );
  }
  let acknowledged: number;
  try {
    acknowledged = Number(await client.call('WAIT', String(wanted), String(timeout)));
  } catch (error) {
    return new HeraldError(
      'queue_unavailable',
      `The ${what} was stored on the master of the queue connection "${connection}" (${redis}), but waiting for ${wanted} replica(s) to have it failed: ${error instanceof Error ? error.message : String(error)}. The ${what} may still exist and be handled, or be lost if the master failed over; dispatch again only if your listeners are idempotent.`,
      { cause: error },
    );
  }
  if (acknowledged >= wanted) return undefined;
  return new HeraldError(
    'queue_unavailable',
    `The ${what} was stored on the master of the queue connection "${connection}" (${redis}), but only ${acknowledged} of ${wanted} replica(s) acknowledged it within ${timeout} ms (waitForReplicas). The ${what} may still exist and be handled, or be lost if the master fails over now; check the replicas (INFO replication), and dispatch again only if your listeners are idempotent.`,
  );
}
