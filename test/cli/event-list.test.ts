import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempProject, type TempProject } from '../support/temp-project.js';

const CONFIG = `import { defineConfig } from 'herald';
export default defineConfig({
  discover: ['src'],
  queue: {
    default: 'jobs',
    connections: { jobs: { driver: 'memory', queue: 'work' }, fast: { driver: 'sync' } },
  },
});
`;

const EVENTS = `import { Event } from 'herald';

@Event('orders.shipped')
export class OrderShipped {}

@Event()
export class OrderCancelled {}

@Event('users.logged-in')
export class UserLoggedIn {}
`;

const LISTENERS = `import { Listener } from 'herald';
import { OrderShipped } from '../events/events.js';

@Listener(OrderShipped, { order: 10 })
export class LogShipment { handle(): void {} }

@Listener(OrderShipped, { queue: 'emails', tries: 4, backoff: { type: 'exponential', delay: 500 } })
export class SendMail { handle(): void {} }

@Listener(OrderShipped, { order: -1 })
export class ReserveStock { handle(): void {} }

@Listener(OrderShipped, { connection: 'fast' })
export class SyncCrm { handle(): void {} }

@Listener('orders.*', { order: 100 })
export class AuditOrders { handle(): void {} }
`;

const SUBSCRIBER = `import { On, Subscriber } from 'herald';
import { UserLoggedIn } from '../events/events.js';

@Subscriber()
export class UserSubscriber {
  @On(UserLoggedIn) onLogin(): void {}
  @On(UserLoggedIn, { queue: true, backoff: 250 }) onLoginQueued(): void {}
}
`;

describe('herald event:list (real binary, a project outside the repo)', () => {
  let project: TempProject;

  beforeAll(() => {
    project = createTempProject('herald-event-list');
    project.write('herald.config.ts', CONFIG);
    project.write('src/events/events.ts', EVENTS);
    project.write('src/listeners/listeners.ts', LISTENERS);
    project.write('src/subscribers/user-subscriber.ts', SUBSCRIBER);
  });
  afterAll(() => project.remove());

  it('lists every event by wire name with its listeners in dispatch order, sync or connection:queue, in aligned columns', async () => {
    const result = await project.herald(['event:list']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('\u001b[');
    expect(result.stdout).toBe(
      [
        'OrderCancelled                  src/events/events.ts',
        '  no listeners',
        'orders.shipped (OrderShipped)   src/events/events.ts',
        '  1. ReserveStock                  sync',
        '  2. SendMail                      jobs:emails   tries 4, backoff exponential 500ms',
        '  3. SyncCrm                       fast:default  tries 1',
        '  4. LogShipment                   sync',
        '  5. AuditOrders                   sync',
        'users.logged-in (UserLoggedIn)  src/events/events.ts',
        '  1. UserSubscriber.onLogin        sync',
        '  2. UserSubscriber.onLoginQueued  jobs:work     tries 1, backoff 250ms',
        '',
      ].join('\n'),
    );
  });

  it('--json prints the documented, stable shape', async () => {
    const result = await project.herald(['event:list', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      { event: 'OrderCancelled', class: 'OrderCancelled', file: 'src/events/events.ts', listeners: [] },
      {
        event: 'orders.shipped',
        class: 'OrderShipped',
        file: 'src/events/events.ts',
        listeners: [
          { name: 'ReserveStock', queued: false, order: -1 },
          {
            name: 'SendMail',
            queued: true,
            connection: 'jobs',
            queue: 'emails',
            tries: 4,
            backoff: { type: 'exponential', delay: 500 },
            order: 0,
          },
          { name: 'SyncCrm', queued: true, connection: 'fast', queue: 'default', tries: 1, order: 0 },
          { name: 'LogShipment', queued: false, order: 10 },
          { name: 'AuditOrders', queued: false, order: 100 },
        ],
      },
      {
        event: 'users.logged-in',
        class: 'UserLoggedIn',
        file: 'src/events/events.ts',
        listeners: [
          { name: 'UserSubscriber.onLogin', queued: false, order: 0 },
          {
            name: 'UserSubscriber.onLoginQueued',
            queued: true,
            connection: 'jobs',
            queue: 'work',
            tries: 1,
            backoff: 250,
            order: 0,
          },
        ],
      },
    ]);
  });

  it('--event keeps events whose wire or class name contains the text, in any case', async () => {
    const byWire = await project.herald(['event:list', '--event', 'ORDERS.', '--json']);
    expect((JSON.parse(byWire.stdout) as { event: string }[]).map((event) => event.event)).toEqual([
      'orders.shipped',
    ]);
    const byClass = await project.herald(['event:list', '-e', 'loggedin', '--json']);
    expect((JSON.parse(byClass.stdout) as { event: string }[]).map((event) => event.event)).toEqual([
      'users.logged-in',
    ]);
    const none = await project.herald(['event:list', '--event', 'nothing-like-it']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('No event matches "nothing-like-it".\n');
  });

  it('a project with no config lists nothing and says where events come from', async () => {
    const empty = createTempProject('herald-event-list-empty');
    try {
      const human = await empty.herald(['event:list']);
      expect(human.code).toBe(0);
      expect(human.stdout).toContain(
        'No events registered: herald registers the events and listeners that "discover"',
      );
      const json = await empty.herald(['event:list', '--json']);
      expect(json.stdout.trim()).toBe('[]');
    } finally {
      empty.remove();
    }
  });

  it('an app that fails to boot exits 1 with the boot error; bad usage exits 2', async () => {
    const broken = createTempProject('herald-event-list-broken');
    try {
      broken.write('herald.config.ts', "export default { discover: ['missing-folder'] };\n");
      const result = await broken.herald(['event:list']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('discover entry "missing-folder" does not exist');
      const usage = await broken.herald(['event:list', '--event']);
      expect(usage.code).toBe(2);
    } finally {
      broken.remove();
    }
  });

  it('--help documents --event and the JSON shape', async () => {
    const result = await project.herald(['event:list', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('-e, --event <text>');
    expect(result.stdout).toContain('"listeners": [ { "name": listener wire name, "queued": boolean,');
    expect(result.stdout).toContain('Exit codes: 0 listed');
  });
});
