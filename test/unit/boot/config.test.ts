import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/validate-config.js';
import { createHerald, defineConfig, type HeraldConfig, HeraldError } from '../../../src/index.js';
import fixtureConfig from '../../fixtures/discovery/config-root/herald.config.js';
import { bootFailure, withHerald } from './boot-helpers.js';

function validationError(config: unknown): HeraldError {
  try {
    validateConfig(config);
  } catch (error) {
    if (HeraldError.is(error)) return error;
    throw new Error(`validateConfig threw something other than a HeraldError: ${String(error)}`, {
      cause: error,
    });
  }
  throw new Error('expected validateConfig() to refuse the config');
}

/** Bad configs, with the key the message must name. Cast: these are wrong on purpose. */
const BAD_CONFIGS: [string, string, unknown][] = [
  ['an unknown top-level key', 'discovr', { discovr: ['src'] }],
  ['discover as a string', 'discover', { discover: 'src' }],
  ['an empty discover entry', 'discover', { discover: [' '] }],
  ['listeners: [undefined]', 'listeners[0]', { listeners: [undefined] }],
  ['listeners not an array', 'listeners', { listeners: 'AuditLog' }],
  ['a relative root', 'root', { root: 'src' }],
  ['a container that is not one', 'container', { container: {} }],
  ['an unknown queue key', 'queue.defualt', { queue: { defualt: 'memory' } }],
  ['queue.default naming no connection', 'queue.default', { queue: { default: 'redis' } }],
  [
    'a bad driver name',
    'queue.connections.x.driver',
    { queue: { connections: { x: { driver: 'rabbitmq' } } } },
  ],
  [
    'a driver name that is an Object.prototype key',
    'queue.connections.x.driver',
    { queue: { connections: { x: { driver: 'toString' } } } },
  ],
  [
    'a non-redis url',
    'queue.connections.x.url',
    { queue: { connections: { x: { driver: 'bullmq', url: 'http://localhost:6379' } } } },
  ],
  [
    'a key the driver does not take',
    'queue.connections.x.url',
    { queue: { connections: { x: { driver: 'memory', url: 'redis://localhost' } } } },
  ],
  [
    'a memory concurrency of 0',
    'queue.connections.x.concurrency',
    { queue: { connections: { x: { driver: 'memory', concurrency: 0 } } } },
  ],
  ['an unknown paths key', 'paths.jobs', { paths: { jobs: 'src/jobs' } }],
];

describe('validateConfig', () => {
  it.each(BAD_CONFIGS)('%s fails with config_invalid naming "%s"', (_case, key, config) => {
    const error = validationError(config);
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain(`"${key}"`);
  });

  it('a config that is not an object fails with config_invalid', () => {
    expect(validationError(['src']).kind).toBe('config_invalid');
    expect(validationError(null).kind).toBe('config_invalid');
  });

  it('a full, valid config passes and keeps the built-in memory and sync connections', () => {
    const result = validateConfig({
      root: '/srv/app',
      discover: ['src/listeners', 'src/**/*.listener.ts'],
      listeners: [],
      events: [],
      container: () => new Container(),
      queue: {
        default: 'redis',
        connections: {
          redis: { driver: 'bullmq', url: 'redis://localhost:6379', prefix: '{herald}' },
          tests: { driver: 'sync' },
        },
      },
      paths: { events: 'src/events', listeners: 'src/listeners', subscribers: 'src/subscribers' },
    });
    expect(result.defaultConnection).toBe('redis');
    expect(Object.keys(result.connections).sort()).toEqual(['memory', 'redis', 'sync', 'tests']);
  });

  it('no config at all means the memory connection', () => {
    expect(validateConfig(undefined).defaultConnection).toBe('memory');
  });
});

describe('createHerald with a bad config', () => {
  it.each(BAD_CONFIGS)('%s fails boot with config_invalid naming "%s"', async (_case, key, config) => {
    const error = await bootFailure(config as HeraldConfig);
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain(`"${key}"`);
  });

  it('a container factory that returns something else fails with config_invalid', async () => {
    const error = await bootFailure({ container: () => ({}) as Container });
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain('container');
  });
});

describe('createHerald defaults', () => {
  it('with no config, herald runs on the embedded memory connection', async () => {
    const herald = await createHerald();
    try {
      expect(herald.defaultConnection).toBe('memory');
      expect(herald.container).toBeInstanceOf(Container);
    } finally {
      await herald.close();
    }
  });

  it('an empty config means the memory connection too', async () => {
    await withHerald({}, (herald) => expect(herald.defaultConnection).toBe('memory'));
  });

  it('queue.default picks another configured connection', async () => {
    await withHerald({ queue: { default: 'sync' } }, (herald) =>
      expect(herald.defaultConnection).toBe('sync'),
    );
  });

  it('a container passed in config is the app container', async () => {
    const container = new Container();
    await withHerald({ container }, (herald) => expect(herald.container).toBe(container));
    const built = new Container();
    await withHerald({ container: async () => built }, (herald) => expect(herald.container).toBe(built));
  });
});

describe('defineConfig', () => {
  it('returns its argument, unchanged in shape', () => {
    const config = { discover: ['src/listeners'], queue: { default: 'memory' } };
    const defined = defineConfig(config);
    expect(defined).toBe(config);
    expect(Object.keys(defined)).toEqual(['discover', 'queue']);
  });

  it('relative discover entries resolve against the file that called defineConfig', async () => {
    // The fixture says discover: ['listeners']; the working directory has no such folder.
    expect(process.cwd()).not.toContain('config-root');
    await withHerald(fixtureConfig, (herald) => {
      expect(herald.getListeners('config-root.greeted').map((info) => info.name)).toEqual(['GreetListener']);
    });
  });

  it('the defineConfig file wins over the cwd createHerald is given', async () => {
    await withHerald(
      fixtureConfig,
      (herald) => expect(herald.hasListeners('config-root.greeted')).toBe(true),
      { cwd: '/' },
    );
  });

  it('without defineConfig, relative discover entries resolve against cwd and fail when missing there', async () => {
    const error = await bootFailure({ discover: ['listeners'] }, { cwd: '/' });
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain('"listeners"');
  });
});
