import { Cluster, Redis } from 'ioredis';
import { HeraldError } from '../../errors.js';
import type { RedisClientFactory, RedisClientRole } from '../connection-config.js';

/** A client of a connection: one server (plain or through Sentinel) or a whole cluster. */
export type RedisClient = Redis | Cluster;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'an object';
}

/** ioredis' per-connection options of a client (a Cluster's are its redisOptions). */
function nodeOptionsOf(client: RedisClient): { maxRetriesPerRequest?: number | null } {
  return client instanceof Cluster ? (client.options.redisOptions ?? {}) : client.options;
}

/**
 * Calls a connection's `createClient(role)` and checks what it returned: an ioredis `Redis` or
 * `Cluster` (else `config_invalid` naming what came back), and for `'worker'` one whose
 * `maxRetriesPerRequest` is null (blocking reads must wait for Redis; BullMQ refuses others).
 * herald cannot set options on the user's client, so it refuses instead of running wrongly.
 */
export function clientFromFactory(
  createClient: RedisClientFactory,
  role: RedisClientRole,
  connection: string,
): RedisClient {
  let made: unknown;
  try {
    made = createClient(role);
  } catch (error) {
    throw new HeraldError(
      'config_invalid',
      `The createClient('${role}') of the queue connection "${connection}" threw: ${error instanceof Error ? error.message : String(error)}.`,
      { cause: error },
    );
  }
  if (!(made instanceof Redis || made instanceof Cluster)) {
    throw new HeraldError(
      'config_invalid',
      `The createClient('${role}') of the queue connection "${connection}" returned ${describe(made)}, not an ioredis client: return new Redis(...) or new Cluster(...) from the ioredis herald uses (a promise is not awaited; a client from another copy of ioredis is not recognised).`,
    );
  }
  if (role === 'worker' && nodeOptionsOf(made).maxRetriesPerRequest !== null) {
    made.disconnect();
    throw new HeraldError(
      'config_invalid',
      `The createClient('worker') of the queue connection "${connection}" returned a client with maxRetriesPerRequest ${String(nodeOptionsOf(made).maxRetriesPerRequest)}: a worker's blocking reads need maxRetriesPerRequest: null (BullMQ requires it; ${made instanceof Cluster ? 'in redisOptions of the Cluster' : 'in the Redis options'}). Create it with maxRetriesPerRequest: null when role is 'worker'.`,
    );
  }
  return made;
}
