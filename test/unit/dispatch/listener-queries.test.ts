import { beforeEach, describe, expect, it } from 'vitest';
import { useHerald } from './support.js';
import {
  AuditUsers,
  clearLog,
  log,
  QueuedCleanup,
  SendWelcome,
  UserDeleted,
  UserRegistered,
  UserSubscriber,
} from './user-fixtures.js';

/** hasListeners() / getListeners(): what an app says about the listeners of an event. */

beforeEach(clearLog);

const boot = useHerald();

describe('hasListeners() / getListeners()', () => {
  it('hasListeners() - true for an event class or its wire name with listeners, false otherwise', async () => {
    const herald = await boot({ listeners: [SendWelcome] });
    expect(herald.hasListeners(UserRegistered)).toBe(true);
    expect(herald.hasListeners('users.registered')).toBe(true);
    expect(herald.hasListeners(UserDeleted)).toBe(false);
    expect(herald.hasListeners('UserDeleted')).toBe(false);
    expect(herald.hasListeners('nothing.here')).toBe(false);
  });

  it('getListeners() - describes each listener: name, class or closure, method, queue facts, order', async () => {
    const herald = await boot({ listeners: [AuditUsers, QueuedCleanup, UserSubscriber] });
    const closure = () => {};
    herald.listen(UserDeleted, closure, { order: 5 });
    expect(herald.getListeners(UserDeleted)).toEqual([
      {
        name: 'AuditUsers',
        listener: AuditUsers,
        method: 'handle',
        queued: false,
        connection: undefined,
        queue: undefined,
        order: 0,
      },
      {
        name: 'UserSubscriber.onDeleted',
        listener: UserSubscriber,
        method: 'onDeleted',
        queued: false,
        connection: undefined,
        queue: undefined,
        order: 0,
      },
      {
        name: 'QueuedCleanup',
        listener: QueuedCleanup,
        method: 'handle',
        queued: true,
        connection: 'memory',
        queue: 'cleanup',
        order: 3,
      },
      {
        name: expect.stringMatching(/^closure#/),
        listener: closure,
        method: 'handle',
        queued: false,
        connection: undefined,
        queue: undefined,
        order: 5,
      },
    ]);
  });

  it('getListeners() - lists in run order, the same for the class and its wire name', async () => {
    const herald = await boot({ listeners: [SendWelcome, AuditUsers, UserSubscriber] });
    const expected = ['UserSubscriber.onRegistered', 'SendWelcome', 'AuditUsers'];
    expect(herald.getListeners(UserRegistered).map((info) => info.name)).toEqual(expected);
    expect(herald.getListeners('users.registered').map((info) => info.name)).toEqual(expected);
    await herald.dispatch(new UserRegistered('a'));
    expect(log).toEqual(['sub registered', 'welcome a', 'audit users.registered a']);
  });

  it('getListeners() - an empty list for an event nobody listens to', async () => {
    const herald = await boot({ listeners: [SendWelcome] });
    expect(herald.getListeners(UserDeleted)).toEqual([]);
  });
});
