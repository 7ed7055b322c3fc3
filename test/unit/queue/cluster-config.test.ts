import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/validate-config.js';
import { HeraldError } from '../../../src/index.js';
import { storeError } from '../../../src/queue/drivers/bullmq/push-errors.js';
import { isConnectionProblem } from '../../../src/queue/redis/connection-problem.js';

const NODES = [{ host: '127.0.0.1', port: 7000 }];

function refusal(redis: Record<string, unknown>): HeraldError {
  try {
    validateConfig({ queue: { connections: { redis: { driver: 'bullmq', ...redis } } } });
  } catch (error) {
    if (HeraldError.is(error)) return error;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

/** Bad `cluster` configs, with the key and the fix the message must name. */
const BAD: [string, Record<string, unknown>, string, string][] = [
  ['cluster not an object', { cluster: 'a:1' }, 'redis.cluster"', 'nodes: [{ host, port }'],
  ['no nodes', { cluster: {} }, 'redis.cluster.nodes"', 'nodes: [{ host, port }'],
  ['empty nodes', { cluster: { nodes: [] } }, 'redis.cluster.nodes"', 'any node of the cluster'],
  ['a node without host', { cluster: { nodes: [{ port: 1 }] } }, 'redis.cluster.nodes[0].host"', 'host name'],
  [
    'a bad port',
    { cluster: { nodes: [{ host: 'a', port: 0 }] } },
    'redis.cluster.nodes[0].port"',
    'port number',
  ],
  ['a node as a string', { cluster: { nodes: ['a:1'] } }, 'redis.cluster.nodes[0]"', '{ host, port }'],
  ['an unknown cluster key', { cluster: { nodes: NODES, seeds: [] } }, 'redis.cluster.seeds"', 'nodes'],
  ['cluster with url', { url: 'redis://a:1', cluster: { nodes: NODES } }, 'redis.cluster"', 'Remove "url"'],
  ['cluster with host', { host: 'a', cluster: { nodes: NODES } }, 'redis.cluster"', 'Remove "host"'],
  ['cluster with port', { port: 1, cluster: { nodes: NODES } }, 'redis.cluster"', 'Remove "port"'],
  ['cluster with db 2', { db: 2, cluster: { nodes: NODES } }, 'redis.db"', 'only database 0'],
  ['options not an object', { cluster: { nodes: NODES, options: 5 } }, 'redis.cluster.options"', 'object'],
  [
    'an option herald sets itself',
    { cluster: { nodes: NODES, options: { enableOfflineQueue: true } } },
    'redis.cluster.options.enableOfflineQueue"',
    'slotsRefreshTimeout',
  ],
  [
    'a negative timeout',
    { cluster: { nodes: NODES, options: { slotsRefreshTimeout: -1 } } },
    'redis.cluster.options.slotsRefreshTimeout"',
    'whole number',
  ],
  [
    'a bad natMap target',
    { cluster: { nodes: NODES, options: { natMap: { '10.0.0.1:7000': { host: 'a' } } } } },
    'natMap["10.0.0.1:7000"].port"',
    'port number',
  ],
];

describe('bullmq cluster config', () => {
  it.each(BAD)('%s is config_invalid naming the key and the fix', (_name, redis, key, fix) => {
    const error = refusal(redis);
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain(key);
    expect(error.message).toContain(fix);
  });

  it('a cluster with username, password, tls and tuning is accepted', () => {
    expect(() =>
      validateConfig({
        queue: {
          connections: {
            redis: {
              driver: 'bullmq',
              username: 'u',
              password: 'p',
              tls: true,
              prefix: '{herald}',
              cluster: { nodes: NODES, options: { slotsRefreshTimeout: 2000, natMap: { 'x:1': NODES[0] } } },
            },
          },
        },
      }),
    ).not.toThrow();
  });
});

describe('cluster errors are connection problems', () => {
  const replies = [
    'MOVED 2546 127.0.0.1:7101',
    'ASK 2546 127.0.0.1:7101',
    "CROSSSLOT Keys in request don't hash to the same slot",
    'CLUSTERDOWN The cluster is down',
    "READONLY You can't write against a read only replica.",
    'Failed to refresh slots cache.',
  ];
  it.each(replies)('%s → queue_unavailable, never a problem with the job or the config', (message) => {
    const error = new Error(message);
    expect(isConnectionProblem(error)).toBe(true);
    const unavailable = (cause: unknown) => new HeraldError('queue_unavailable', 'down', { cause });
    expect(storeError(error, [], '127.0.0.1:7100', unavailable).kind).toBe('queue_unavailable');
  });

  it('a word like "task" or "asked" is not taken for an ASK redirect', () => {
    expect(isConnectionProblem(new Error('Priority should not be float, asked task'))).toBe(false);
  });
});
