import { inject } from 'inversify';
import { beforeEach, describe, expect, it } from 'vitest';
import { Event, Listener, type ListenerContext, On, Subscriber } from '../../../src/index.js';
import { throwsWith, useHerald } from './support.js';

const log: string[] = [];
beforeEach(() => {
  log.length = 0;
});

@Event('users.registered')
class UserRegistered {
  constructor(readonly email: string) {}
}

@Event()
class UserDeleted {
  constructor(readonly email: string) {}
}

class Greeter {
  greet(email: string): string {
    return `hello ${email}`;
  }
}

/** A plain class, no herald decorator: listen() must still bind and build it. */
class PlainWelcome {
  constructor(@inject(Greeter) private readonly greeter: Greeter) {}
  handle(event: UserRegistered): void {
    log.push(`plain ${this.greeter.greet(event.email)}`);
  }
}

@Listener(UserRegistered)
class SendWelcome {
  handle(event: UserRegistered): void {
    log.push(`welcome ${event.email}`);
  }
}

@Listener([UserRegistered, UserDeleted])
class AuditUsers {
  handle(event: UserRegistered | UserDeleted, ctx: ListenerContext): void {
    log.push(`audit ${ctx.eventName} ${event.email}`);
  }
}

@Listener(UserDeleted, { queue: 'cleanup', connection: 'memory', order: 3 })
class QueuedCleanup {
  handle(): void {
    log.push('cleanup');
  }
}

@Subscriber()
class UserSubscriber {
  @On(UserRegistered, { order: -1 }) onRegistered(): void {
    log.push('sub registered');
  }
  @On(UserDeleted) onDeleted(): void {
    log.push('sub deleted');
  }
}

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

describe('forget()', () => {
  it('forget() - removes every listener of the event', async () => {
    const herald = await boot({ listeners: [SendWelcome, UserSubscriber] });
    herald.listen(UserRegistered, () => void log.push('closure'));
    herald.forget(UserRegistered);
    expect(herald.hasListeners(UserRegistered)).toBe(false);
    await herald.dispatch(new UserRegistered('a'));
    expect(log).toEqual([]);
  });

  it('forget() - a listener of [A, B] keeps B after forget(A)', async () => {
    const herald = await boot({ listeners: [AuditUsers] });
    herald.forget(UserRegistered);
    await herald.dispatch(new UserRegistered('a'));
    await herald.dispatch(new UserDeleted('b'));
    expect(log).toEqual(['audit UserDeleted b']);
    expect(herald.getListeners(UserDeleted).map((info) => info.name)).toEqual(['AuditUsers']);
  });

  it('forget() - a subscriber keeps its methods for other events', async () => {
    const herald = await boot({ listeners: [UserSubscriber] });
    herald.forget(UserRegistered);
    await herald.dispatch(new UserRegistered('a'));
    await herald.dispatch(new UserDeleted('b'));
    expect(log).toEqual(['sub deleted']);
  });

  it('forget() - takes the event wire name as a string', async () => {
    const herald = await boot({ listeners: [SendWelcome, AuditUsers] });
    herald.forget('users.registered');
    expect(herald.hasListeners(UserRegistered)).toBe(false);
    await herald.dispatch(new UserRegistered('a'));
    await herald.dispatch(new UserDeleted('b'));
    expect(log).toEqual(['audit UserDeleted b']);
  });

  it('forget() - a pattern string removes the listeners registered with that pattern only', async () => {
    const herald = await boot({ listeners: [SendWelcome] });
    herald.listen('users.*', () => void log.push('wild'));
    herald.forget('users.*');
    await herald.dispatch(new UserRegistered('a'));
    expect(log).toEqual(['welcome a']);
  });

  it('forget() - does not touch other events, and new listeners can be added afterwards', async () => {
    const herald = await boot({ listeners: [SendWelcome, UserSubscriber] });
    herald.forget(UserRegistered);
    herald.listen(UserRegistered, () => void log.push('new'));
    await herald.dispatch(new UserRegistered('a'));
    await herald.dispatch(new UserDeleted('b'));
    expect(log).toEqual(['new', 'sub deleted']);
  });
});
