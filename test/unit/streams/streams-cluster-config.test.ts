import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/validate-config.js';
import { HeraldError } from '../../../src/index.js';
import {
  attemptsKey,
  deadKey,
  keyspaceOf,
  partitionKey,
  retryKey,
} from '../../../src/queue/drivers/streams/stream-keys.js';
import { leaseKey } from '../../../src/queue/drivers/streams/stream-lease.js';

const NODES = [{ host: '127.0.0.1', port: 7000 }];

function refusal(log: Record<string, unknown>): HeraldError {
  try {
    validateConfig({ queue: { connections: { log: { driver: 'streams', ...log } } } });
  } catch (error) {
    if (HeraldError.is(error)) return error;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

/** Bad `cluster` configs on a streams connection, with the key and the fix the message must name. */
const BAD: [string, Record<string, unknown>, string, string][] = [
  ['cluster not an object', { cluster: 'a:1' }, 'log.cluster"', 'nodes: [{ host, port }'],
  ['empty nodes', { cluster: { nodes: [] } }, 'log.cluster.nodes"', 'any node of the cluster'],
  ['cluster with url', { url: 'redis://a:1', cluster: { nodes: NODES } }, 'log.cluster"', 'Remove "url"'],
  ['cluster with db 1', { db: 1, cluster: { nodes: NODES } }, 'log.db"', 'only database 0'],
  [
    'a node with a bad port',
    { cluster: { nodes: [{ host: 'a', port: 0 }] } },
    'nodes[0].port"',
    'port number',
  ],
  [
    'an option herald sets itself',
    { cluster: { nodes: NODES, options: { scaleReads: 'slave' } } },
    'log.cluster.options.scaleReads"',
    'slotsRefreshTimeout',
  ],
  [
    'an unknown cluster key',
    { cluster: { nodes: NODES, replicas: 1 } },
    'log.cluster.replicas"',
    'not a cluster key',
  ],
];

describe('streams cluster config', () => {
  it.each(BAD)('%s is config_invalid naming the key and the fix', (_name, log, key, fix) => {
    const error = refusal(log);
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain(key);
    expect(error.message).toContain(fix);
  });

  it('a cluster with auth, tuning and partitions is accepted', () => {
    expect(() =>
      validateConfig({
        queue: {
          connections: {
            log: {
              driver: 'streams',
              password: 'p',
              partitions: 8,
              cluster: { nodes: NODES, options: { slotsRefreshTimeout: 2000 } },
            },
          },
        },
      }),
    ).not.toThrow();
  });
});

describe('streams key layout', () => {
  it('one Redis keeps the keys of earlier releases (retries, attempts, dead letters per stream)', () => {
    const space = keyspaceOf('herald', false);
    expect(partitionKey(space, 'orders', 2)).toBe('herald:orders:2');
    expect(retryKey(space, 'orders', 2, 'L')).toBe('herald:orders:retry:L');
    expect(attemptsKey(space, 'orders', 2, 'L')).toBe('herald:orders:attempts:L');
    expect(deadKey(space, 'orders', 2, 'L')).toBe('herald:orders:dead:L');
  });

  it('a cluster tags each partition, and its listener keys and lease share the tag', () => {
    const space = keyspaceOf('herald', true);
    const log = partitionKey(space, 'orders', 2);
    expect(log).toBe('herald:{orders:2}');
    for (const key of [
      retryKey(space, 'orders', 2, 'L'),
      attemptsKey(space, 'orders', 2, 'L'),
      deadKey(space, 'orders', 2, 'L'),
      leaseKey(log, 'L'),
    ])
      expect(key.startsWith('herald:{orders:2}:')).toBe(true);
  });

  it('a cluster prefix with a hash tag keeps the one-server names (one slot, as asked)', () => {
    const space = keyspaceOf('{herald}', true);
    expect(partitionKey(space, 'orders', 2)).toBe('{herald}:orders:2');
    expect(deadKey(space, 'orders', 2, 'L')).toBe('{herald}:orders:dead:L');
  });
});
