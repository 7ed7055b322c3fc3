import { invalidConnection } from '../driver-descriptor.js';
import { validateCluster } from './cluster-config.js';
import { validateSentinel } from './sentinel-config.js';

/** The config keys beside url/host/port that say how a Redis connection reaches Redis. */
export const REDIS_TARGET_KEYS = [
  'cluster',
  'sentinel',
  'createClient',
  'waitForReplicas',
  'waitForReplicasTimeout',
] as const;

/** Keys a `createClient` connection cannot have: the client it returns already says them. */
const CLIENT_SAYS = [
  'url',
  'host',
  'port',
  'username',
  'password',
  'db',
  'tls',
  'cluster',
  'sentinel',
] as const;

function wholeNumber(value: unknown, min: number): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

/** Checks `createClient`: a function, alone (the client it makes says where Redis is). */
function validateCreateClient(connection: Readonly<Record<string, unknown>>, where: string): void {
  const { createClient } = connection;
  if (createClient === undefined) return;
  if (typeof createClient !== 'function') {
    invalidConnection(
      `${where}.createClient`,
      "must be a function (role: 'producer' | 'worker') => Redis | Cluster returning a new ioredis client",
    );
  }
  for (const key of CLIENT_SAYS) {
    if (connection[key] !== undefined) {
      invalidConnection(
        `${where}.createClient`,
        `cannot be combined with "${key}": the client createClient returns already says where Redis is and how to log in. Remove "${key}" or createClient`,
      );
    }
  }
}

/** Checks `waitForReplicas` and its timeout. */
function validateReplicaWait(connection: Readonly<Record<string, unknown>>, where: string): void {
  const { waitForReplicas, waitForReplicasTimeout, cluster } = connection;
  if (waitForReplicas !== undefined && !wholeNumber(waitForReplicas, 0)) {
    invalidConnection(
      `${where}.waitForReplicas`,
      'must be a whole number of replicas >= 0 (how many must have a job before dispatch resolves)',
    );
  }
  if (waitForReplicasTimeout !== undefined) {
    if (!wholeNumber(waitForReplicasTimeout, 1))
      invalidConnection(`${where}.waitForReplicasTimeout`, 'must be a whole number of milliseconds >= 1');
    if (waitForReplicas === undefined || waitForReplicas === 0)
      invalidConnection(`${where}.waitForReplicasTimeout`, 'has no effect without waitForReplicas: set both');
  }
  if (cluster !== undefined && typeof waitForReplicas === 'number' && waitForReplicas > 0) {
    invalidConnection(
      `${where}.waitForReplicas`,
      "is not supported with cluster yet: WAIT counts one node's replicas and a dispatch writes to several shards. Remove it",
    );
  }
}

/**
 * Checks every key that says how a Redis-backed connection (bullmq, streams) reaches Redis:
 * `cluster`, `sentinel` and `createClient` each exclude the others and url/host/port, and
 * `waitForReplicas`. Throws `config_invalid` naming the key and the fix.
 */
export function validateRedisTarget(connection: Readonly<Record<string, unknown>>, where: string): void {
  validateCreateClient(connection, where);
  validateCluster(connection, where);
  validateSentinel(connection, where);
  validateReplicaWait(connection, where);
}
