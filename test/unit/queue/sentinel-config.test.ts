import { Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/validate-config.js';
import { HeraldError } from '../../../src/index.js';
import { isConnectionProblem } from '../../../src/queue/redis/connection-problem.js';
import { clientFromFactory } from '../../../src/queue/redis/custom-client.js';
import { reconnectOnSwitch } from '../../../src/queue/redis/sentinel-options.js';

const SENTINELS = [{ host: '127.0.0.1', port: 26379 }];
const OK = { sentinels: SENTINELS, name: 'mymaster' };

function refusal(driver: 'bullmq' | 'streams', redis: Record<string, unknown>): HeraldError {
  try {
    validateConfig({ queue: { connections: { redis: { driver, ...redis } } } });
  } catch (error) {
    if (HeraldError.is(error)) return error;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

/** Bad configs, with the key and the fix the message must name. */
const BAD: [string, Record<string, unknown>, string, string][] = [
  ['sentinel not an object', { sentinel: 'a:1' }, 'redis.sentinel"', 'sentinels: [{ host, port }'],
  ['no sentinels', { sentinel: { name: 'm' } }, 'redis.sentinel.sentinels"', "name: '<master name>'"],
  ['empty sentinels', { sentinel: { sentinels: [], name: 'm' } }, 'redis.sentinel.sentinels"', 'sentinels:'],
  [
    'a sentinel as a string',
    { sentinel: { sentinels: ['a:1'], name: 'm' } },
    'sentinels[0]"',
    '{ host, port }',
  ],
  [
    'a bad port',
    { sentinel: { sentinels: [{ host: 'a', port: 0 }], name: 'm' } },
    'sentinels[0].port"',
    '26379',
  ],
  [
    'an extra address key',
    { sentinel: { sentinels: [{ ...SENTINELS[0], db: 1 }], name: 'm' } },
    'sentinels[0].db"',
    'host and port',
  ],
  ['no name', { sentinel: { sentinels: SENTINELS } }, 'redis.sentinel.name"', 'sentinel monitor <name>'],
  [
    'a replica role',
    { sentinel: { ...OK, role: 'slave' } },
    'redis.sentinel.role"',
    'replica refuses writes',
  ],
  ['a password not a string', { sentinel: { ...OK, sentinelPassword: 1 } }, 'sentinelPassword"', 'string'],
  [
    'a bad timeout',
    { sentinel: { ...OK, sentinelCommandTimeout: 0 } },
    'sentinelCommandTimeout"',
    'milliseconds',
  ],
  ['an unknown key', { sentinel: { ...OK, master: 'x' } }, 'redis.sentinel.master"', 'sentinels, name, role'],
  ['sentinel with url', { url: 'redis://a:1', sentinel: OK }, 'redis.sentinel"', 'Remove "url"'],
  ['sentinel with host', { host: 'a', sentinel: OK }, 'redis.sentinel"', 'Remove "host"'],
  ['sentinel with port', { port: 1, sentinel: OK }, 'redis.sentinel"', 'Remove "port"'],
  [
    'sentinel with cluster',
    { cluster: { nodes: SENTINELS }, sentinel: OK },
    'redis.sentinel"',
    'Remove "cluster"',
  ],
  [
    'createClient not a function',
    { createClient: {} },
    'redis.createClient"',
    "(role: 'producer' | 'worker')",
  ],
  [
    'createClient with url',
    { url: 'redis://a:1', createClient: () => null },
    'redis.createClient"',
    'Remove "url"',
  ],
  [
    'createClient with sentinel',
    { sentinel: OK, createClient: () => null },
    'redis.createClient"',
    'Remove "sentinel"',
  ],
  ['waitForReplicas negative', { waitForReplicas: -1 }, 'redis.waitForReplicas"', 'whole number of replicas'],
  [
    'waitForReplicas a string',
    { waitForReplicas: '1' },
    'redis.waitForReplicas"',
    'whole number of replicas',
  ],
  ['a timeout alone', { waitForReplicasTimeout: 100 }, 'redis.waitForReplicasTimeout"', 'set both'],
  [
    'a zero timeout',
    { waitForReplicas: 1, waitForReplicasTimeout: 0 },
    'waitForReplicasTimeout"',
    'milliseconds',
  ],
];

describe('sentinel, createClient and waitForReplicas config', () => {
  for (const driver of ['bullmq', 'streams'] as const) {
    // `cluster` is not a streams key on this branch yet: it is refused as unknown there.
    const cases = driver === 'bullmq' ? BAD : BAD.filter(([name]) => !name.includes('cluster'));
    it.each(cases)(`${driver}: %s is config_invalid naming the key and the fix`, (_name, redis, key, fix) => {
      const error = refusal(driver, redis);
      expect(error.kind).toBe('config_invalid');
      expect(error.message).toContain(key);
      expect(error.message).toContain(fix);
    });
  }

  it('waitForReplicas with cluster is refused (WAIT counts one shard)', () => {
    const error = refusal('bullmq', { cluster: { nodes: SENTINELS }, waitForReplicas: 1 });
    expect(error.message).toContain('redis.waitForReplicas"');
    expect(error.message).toContain('not supported with cluster');
  });

  it('a full sentinel config, a createClient, and waitForReplicas are accepted', () => {
    const sentinel = {
      ...OK,
      role: 'master',
      sentinelUsername: 'u',
      sentinelPassword: 'p',
      sentinelTls: true,
      sentinelCommandTimeout: 500,
      failoverDetector: true,
      natMap: { '10.0.0.1:6379': { host: '127.0.0.1', port: 7000 } },
    };
    for (const driver of ['bullmq', 'streams'] as const) {
      expect(() =>
        validateConfig({
          queue: {
            connections: {
              a: { driver, password: 'p', db: 1, sentinel, waitForReplicas: 1, waitForReplicasTimeout: 200 },
              b: { driver, createClient: () => new Redis({ lazyConnect: true }) },
            },
          },
        } as never),
      ).not.toThrow();
    }
  });
});

describe('createClient results', () => {
  const check = (made: unknown, role: 'producer' | 'worker') => () =>
    clientFromFactory(() => made, role, 'redis');

  it.each([
    ['undefined', undefined, 'returned undefined'],
    ['a promise', Promise.resolve(1), 'returned Promise'],
    ['options', { host: 'a' }, 'returned Object'],
  ])('%s is config_invalid saying what came back', (_name, made, says) => {
    expect(check(made, 'producer')).toThrow(says);
    expect(check(made, 'producer')).toThrow('not an ioredis client');
  });

  it('a worker client whose maxRetriesPerRequest is not null is refused; null is taken', () => {
    expect(check(new Redis({ lazyConnect: true }), 'worker')).toThrow('maxRetriesPerRequest: null');
    const cluster = new Cluster([{ host: 'a', port: 1 }], {
      lazyConnect: true,
      redisOptions: { maxRetriesPerRequest: 3 },
    });
    expect(check(cluster, 'worker')).toThrow('in redisOptions of the Cluster');
    const ok = new Redis({ lazyConnect: true, maxRetriesPerRequest: null });
    expect(check(ok, 'worker')()).toBe(ok);
    ok.disconnect();
  });

  it('a factory that throws is config_invalid with its message', () => {
    const error = (() => {
      try {
        clientFromFactory(
          () => {
            throw new Error('no TLS cert');
          },
          'producer',
          'redis',
        );
      } catch (caught) {
        return caught;
      }
    })();
    expect(HeraldError.is(error, 'config_invalid')).toBe(true);
    expect((error as Error).message).toContain("createClient('producer')");
    expect((error as Error).message).toContain('no TLS cert');
  });
});

describe('failover replies', () => {
  it.each([
    "READONLY You can't write against a read only replica.",
    'UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)',
    'All sentinels are unreachable. Retrying from scratch after 10ms.',
  ])('%s is a connection problem (queue_unavailable)', (message) => {
    expect(isConnectionProblem(new Error(message))).toBe(true);
  });

  it('READONLY makes a Sentinel client reconnect (ask the sentinels) without resending', () => {
    expect(reconnectOnSwitch(new Error("READONLY You can't write"))).toBe(1);
    expect(reconnectOnSwitch(new Error('ERR wrong number of arguments'))).toBe(false);
  });
});
