import { beforeEach, describe, expect, it } from 'vitest';
import { throwsWith, useHerald } from './support.js';
import {
  AuditUsers,
  clearLog,
  log,
  PlainWelcome,
  SendWelcome,
  UserDeleted,
  UserRegistered,
  UserSubscriber,
} from './user-fixtures.js';

/** listen(): closures and classes added at run time, their options, names and unsubscribe functions. */

beforeEach(clearLog);

const boot = useHerald();

describe('listen()', () => {
  it('listen() - a closure receives the event and the context', async () => {
    const herald = await boot();
    const received: [object, string][] = [];
    herald.listen(UserRegistered, (event, ctx) => {
      received.push([event, ctx.eventName]);
    });
    const event = new UserRegistered('a@x');
    await herald.dispatch(event);
    expect(received).toEqual([[event, 'users.registered']]);
    expect(received[0]?.[0]).toBe(event);
  });

  it('listen() - a closure on an array of events runs for each of them', async () => {
    const herald = await boot();
    herald.listen([UserRegistered, UserDeleted], (event) => {
      log.push(event.constructor.name);
    });
    await herald.dispatch(new UserRegistered('a'));
    await herald.dispatch(new UserDeleted('a'));
    expect(log).toEqual(['UserRegistered', 'UserDeleted']);
  });

  it('listen() - a plain (undecorated) class is built by the container with its injections', async () => {
    const herald = await boot();
    herald.listen(UserRegistered, PlainWelcome);
    await herald.dispatch(new UserRegistered('a@x'));
    expect(log).toEqual(['plain hello a@x']);
  });

  it('listen() - a class without handle() is refused with config_invalid', async () => {
    const herald = await boot();
    class NoHandle {}
    throwsWith(() => herald.listen(UserRegistered, NoHandle), 'config_invalid');
  });

  it('listen() - a decorated listener class listens to the target given to listen(), not its own', async () => {
    const herald = await boot();
    herald.listen(UserDeleted, SendWelcome);
    await herald.dispatch(new UserRegistered('r'));
    expect(log).toEqual([]);
    await herald.dispatch(new UserDeleted('d'));
    expect(log).toEqual(['welcome d']);
  });

  it('listen() - a class already registered at boot can be added again; both run', async () => {
    const herald = await boot({ listeners: [SendWelcome] });
    const off = herald.listen(UserRegistered, SendWelcome);
    expect(herald.getListeners(UserRegistered).map((info) => info.name)).toEqual([
      'SendWelcome',
      'SendWelcome#2',
    ]);
    await herald.dispatch(new UserRegistered('a'));
    expect(log).toEqual(['welcome a', 'welcome a']);
    off();
    await herald.dispatch(new UserRegistered('b'));
    expect(log).toEqual(['welcome a', 'welcome a', 'welcome b']);
  });

  it('listen() - a { name } given to listen() that another listener holds fails with duplicate_name', async () => {
    const herald = await boot({ listeners: [SendWelcome] });
    throwsWith(() => herald.listen(UserDeleted, PlainWelcome, { name: 'SendWelcome' }), 'duplicate_name');
    throwsWith(() => herald.listen(UserDeleted, AuditUsers, { name: 'SendWelcome' }), 'duplicate_name');
    throwsWith(() => herald.listen(UserDeleted, UserSubscriber, { name: 'users.sub' }), 'duplicate_name');
    expect(herald.hasListeners(UserDeleted)).toBe(false);
  });

  it('listen() - a { name } given to listen() is the listener wire name', async () => {
    const herald = await boot();
    herald.listen(UserDeleted, PlainWelcome, { name: 'users.welcome-on-delete' });
    expect(herald.getListeners(UserDeleted).map((info) => info.name)).toEqual(['users.welcome-on-delete']);
  });

  it('listen() - events.listen() on the dispatcher works the same as herald.listen()', async () => {
    const herald = await boot();
    herald.events.listen(UserRegistered, (event) => {
      log.push(`events ${event.email}`);
    });
    await herald.dispatch(new UserRegistered('a'));
    expect(log).toEqual(['events a']);
  });

  it('listen() - the returned function unsubscribes, and calling it twice is harmless', async () => {
    const herald = await boot({ listeners: [SendWelcome] });
    const off = herald.listen(UserRegistered, () => {
      log.push('closure');
    });
    await herald.dispatch(new UserRegistered('a'));
    off();
    off();
    await herald.dispatch(new UserRegistered('b'));
    expect(log).toEqual(['welcome a', 'closure', 'welcome b']);
    expect(herald.getListeners(UserRegistered).map((info) => info.name)).toEqual(['SendWelcome']);
  });

  it('listen() - unsubscribing one closure leaves an identical second one registered', async () => {
    const herald = await boot();
    const fn = () => {
      log.push('fn');
    };
    const offFirst = herald.listen(UserRegistered, fn);
    herald.listen(UserRegistered, fn);
    offFirst();
    offFirst();
    await herald.dispatch(new UserRegistered('a'));
    expect(log).toEqual(['fn']);
  });

  it('listen() - unsubscribing a class listener removes it', async () => {
    const herald = await boot();
    const off = herald.listen(UserRegistered, PlainWelcome);
    off();
    await herald.dispatch(new UserRegistered('a'));
    expect(log).toEqual([]);
    expect(herald.hasListeners(UserRegistered)).toBe(false);
  });

  it('listen() - a closure with { queue: true } is refused with config_invalid', async () => {
    const herald = await boot();
    const error = throwsWith(
      () => herald.listen(UserRegistered, () => {}, { queue: true }),
      'config_invalid',
    );
    expect(error.message).toMatch(/closure/i);
    expect(herald.hasListeners(UserRegistered)).toBe(false);
  });

  it('listen() - a closure with { connection } is refused too (it would be queued)', async () => {
    const herald = await boot();
    throwsWith(() => herald.listen(UserRegistered, () => {}, { connection: 'memory' }), 'config_invalid');
  });

  it('listen() - an undecorated event class is refused with unknown_event', async () => {
    const herald = await boot();
    class NotAnEvent {}
    throwsWith(() => herald.listen(NotAnEvent, () => {}), 'unknown_event');
  });

  it('listen() - unknown option keys are refused with config_invalid', async () => {
    const herald = await boot();
    throwsWith(
      () => herald.listen(UserRegistered, () => {}, { ordr: 1 } as unknown as { order: number }),
      'config_invalid',
    );
  });

  it('listen() - `order` on a closure places it among the decorated listeners', async () => {
    const herald = await boot({ listeners: [SendWelcome] });
    herald.listen(UserRegistered, () => void log.push('first'), { order: -1 });
    herald.listen(UserRegistered, () => void log.push('last'), { order: 1 });
    await herald.dispatch(new UserRegistered('a'));
    expect(log).toEqual(['first', 'welcome a', 'last']);
  });

  it('listen() - after unsubscribing a listener of [A, B] that forget(A) trimmed, B no longer runs', async () => {
    const herald = await boot();
    const off = herald.listen([UserRegistered, UserDeleted], (event) => {
      log.push(event.constructor.name);
    });
    herald.forget(UserRegistered);
    off();
    await herald.dispatch(new UserDeleted('d'));
    expect(log).toEqual([]);
    expect(herald.hasListeners(UserDeleted)).toBe(false);
  });
});
