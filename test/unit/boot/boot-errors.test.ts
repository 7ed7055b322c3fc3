import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Event, Listener, type ListenerOptions, On, Subscriber } from '../../../src/index.js';
import { FirstShipped } from '../../fixtures/discovery/duplicate-events/first-shipped.js';
import { SecondShipped } from '../../fixtures/discovery/duplicate-events/second-shipped.js';
import { bootFailure } from './boot-helpers.js';

const THIS_FILE = fileURLToPath(import.meta.url);
const FIRST_FILE = fileURLToPath(
  new URL('../../fixtures/discovery/duplicate-events/first-shipped.ts', import.meta.url),
);
const SECOND_FILE = fileURLToPath(
  new URL('../../fixtures/discovery/duplicate-events/second-shipped.ts', import.meta.url),
);

@Event()
class Ping {
  constructor(readonly id: string) {}
}

@Event()
class Pong {
  constructor(readonly id: number) {}
}

/** A class that is not an event (no @Event). */
class NotAnEvent {
  constructor(readonly id: string) {}
}

interface PingShape {
  readonly id: string;
}

describe('boot - the event of a @Listener() cannot be inferred', () => {
  @Listener()
  class HandleWithoutOn {
    handle(_event: Ping): void {}
  }

  @Listener()
  class HandleTakesInterface {
    @On() handle(_event: PingShape): void {}
  }

  @Listener()
  class HandleTakesUnion {
    @On() handle(_event: Ping | Pong): void {}
  }

  @Listener()
  class HandleTakesNonEvent {
    @On() handle(_event: NotAnEvent): void {}
  }

  @Subscriber()
  class SubscriberTakesInterface {
    @On() onPing(_event: PingShape): void {}
  }

  it.each([
    ['handle() without @On()', HandleWithoutOn],
    ['a parameter typed as an interface', HandleTakesInterface],
    ['a parameter typed as a union', HandleTakesUnion],
    ['a parameter typed as a class that is not an @Event', HandleTakesNonEvent],
    ['a subscriber @On() method typed as an interface', SubscriberTakesInterface],
  ])('%s fails boot with unknown_event, naming the class and its file', async (_case, listener) => {
    const error = await bootFailure({ listeners: [listener] });
    expect(error.kind).toBe('unknown_event');
    expect(error.message).toMatch(/name the event explicitly/i);
    expect(error.message).toContain(listener.name);
    expect(error.message).toContain(THIS_FILE);
  });

  it("a parameter type imported with 'import type' fails boot with unknown_event naming the file", async () => {
    const { TypeOnlyListener } = await import('../../fixtures/discovery/import-type/type-only-listener.js');
    const error = await bootFailure({ listeners: [TypeOnlyListener] });
    expect(error.kind).toBe('unknown_event');
    expect(error.message).toMatch(/name the event explicitly/i);
    expect(error.message).toContain('TypeOnlyListener');
    expect(error.message).toContain(
      fileURLToPath(new URL('../../fixtures/discovery/import-type/type-only-listener.ts', import.meta.url)),
    );
  });

  it('a subscriber method that fails inference is named in the message', async () => {
    const error = await bootFailure({ listeners: [SubscriberTakesInterface] });
    expect(error.message).toContain('onPing');
  });
});

describe('boot - duplicate wire names', () => {
  @Listener(FirstShipped)
  class OnFirst {
    handle(): void {}
  }

  @Listener(SecondShipped)
  class OnSecond {
    handle(): void {}
  }

  it('two @Event classes with one wire name fail with duplicate_name naming both classes and files', async () => {
    const error = await bootFailure({ listeners: [OnFirst, OnSecond] });
    expect(error.kind).toBe('duplicate_name');
    expect(error.message).toContain('orders.shipped');
    expect(error.message).toContain('FirstShipped');
    expect(error.message).toContain('SecondShipped');
    expect(error.message).toContain(FIRST_FILE);
    expect(error.message).toContain(SECOND_FILE);
  });

  it('the same clash is found when the events are listed in config', async () => {
    const error = await bootFailure({ events: [FirstShipped, SecondShipped] });
    expect(error.kind).toBe('duplicate_name');
    expect(error.message).toContain(FIRST_FILE);
    expect(error.message).toContain(SECOND_FILE);
  });

  it('either event alone boots', async () => {
    // Control for the two tests above: the clash, not the classes, is what fails.
    const { createHerald } = await import('../../../src/index.js');
    for (const listeners of [[OnFirst], [OnSecond]]) {
      const herald = await createHerald({ listeners });
      await herald.close();
    }
  });

  it('two listeners given one { name } fail with duplicate_name naming both classes', async () => {
    @Listener(Ping, { name: 'ping.audit' })
    class AuditPing {
      handle(): void {}
    }
    @Listener(Pong, { name: 'ping.audit' })
    class AuditPong {
      handle(): void {}
    }
    const error = await bootFailure({ listeners: [AuditPing, AuditPong] });
    expect(error.kind).toBe('duplicate_name');
    expect(error.message).toContain('ping.audit');
    expect(error.message).toContain('AuditPing');
    expect(error.message).toContain('AuditPong');
  });

  it('two different classes with the same class name clash on their default wire name', async () => {
    const make = () => {
      @Listener(Ping)
      class SendMail {
        handle(): void {}
      }
      return SendMail;
    };
    const error = await bootFailure({ listeners: [make(), make()] });
    expect(error.kind).toBe('duplicate_name');
    expect(error.message).toContain('"SendMail"');
  });

  it('a subscriber method name clashing with a listener { name } is a duplicate too', async () => {
    @Subscriber()
    class Audit {
      @On(Ping) onPing(): void {}
    }
    @Listener(Pong, { name: 'Audit.onPing' })
    class Impostor {
      handle(): void {}
    }
    const error = await bootFailure({ listeners: [Audit, Impostor] });
    expect(error.kind).toBe('duplicate_name');
    expect(error.message).toContain('Audit.onPing');
  });
});

describe('boot - listener options are validated, naming class, file and key', () => {
  function listenerWith(options: unknown) {
    @Listener(Ping, options as ListenerOptions<Ping>)
    class BadOptions {
      handle(_event: Ping): void {}
    }
    return BadOptions;
  }

  it.each([
    ['tires', { tires: 3 }],
    ['tries', { tries: 0 }],
    ['tries', { tries: 1.5 }],
    ['backoff', { backoff: -1 }],
    ['backoff', { backoff: [] }],
    ['backoff', { backoff: { type: 'linear' } }],
    ['backoff', { backoff: { type: 'fixed', delay: 10, jitter: 2 } }],
    ['timeout', { timeout: 0 }],
    ['priority', { priority: 0 }],
    ['priority', { priority: 2_097_152 }],
    ['queue', { queue: '' }],
    ['queue', { queue: false }],
    ['scope', { scope: 'request' }],
    ['order', { order: Number.NaN }],
    ['unique', { unique: {} }],
    ['unique', { unique: { id: () => 'x', ttl: -5 } }],
    ['delay', { delay: -1 }],
    ['connection', { connection: '' }],
    ['name', { name: '' }],
  ])('"%s" in %j fails with config_invalid', async (key, options) => {
    const error = await bootFailure({ listeners: [listenerWith(options)] });
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain('BadOptions');
    expect(error.message).toContain(THIS_FILE);
    expect(error.message).toContain(`"${key}"`);
  });

  it('options that are not an object fail with config_invalid', async () => {
    const error = await bootFailure({ listeners: [listenerWith(42)] });
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain('BadOptions');
  });

  it('every option with a valid value boots', async () => {
    // Control for the table above: the validator does not refuse the fields themselves.
    const { createHerald } = await import('../../../src/index.js');
    const options: ListenerOptions<Ping> = {
      name: 'good.options',
      scope: 'transient',
      queue: 'emails',
      connection: 'memory',
      delay: 0,
      tries: 3,
      backoff: { type: 'exponential', delay: 100, jitter: 0.5 },
      timeout: 1000,
      priority: 1,
      unique: { id: (event) => event.id, ttl: 10 },
      order: -2.5,
    };
    const herald = await createHerald({ listeners: [listenerWith(options)] });
    expect(herald.getListeners(Ping).map((info) => info.name)).toEqual(['good.options']);
    await herald.close();
  });

  it('bad @On options in a subscriber name the class, the method, the file and the key', async () => {
    @Subscriber()
    class TypoSubscriber {
      @On(Ping, { tires: 3 } as ListenerOptions<Ping>) onPing(): void {}
    }
    const error = await bootFailure({ listeners: [TypoSubscriber] });
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain('TypoSubscriber');
    expect(error.message).toContain('onPing');
    expect(error.message).toContain(THIS_FILE);
    expect(error.message).toContain('"tires"');
  });
});

describe('boot - listeners that cannot work', () => {
  it('a listener of a class that is not an @Event fails with unknown_event naming both', async () => {
    @Listener(NotAnEvent)
    class ListensToPlainClass {
      handle(_event: NotAnEvent): void {}
    }
    const error = await bootFailure({ listeners: [ListensToPlainClass] });
    expect(error.kind).toBe('unknown_event');
    expect(error.message).toContain('NotAnEvent');
    expect(error.message).toContain('ListensToPlainClass');
  });

  it('a @Listener class without handle() fails with config_invalid', async () => {
    // @ts-expect-error the decorator refuses a class without handle(); boot must refuse it too
    @Listener(Ping)
    class NoHandle {
      onPing(): void {}
    }
    const error = await bootFailure({ listeners: [NoHandle] });
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain('NoHandle');
    expect(error.message).toContain('handle()');
  });

  it('a @Subscriber without @On methods fails with config_invalid', async () => {
    @Subscriber()
    class EmptySubscriber {
      onPing(): void {}
    }
    const error = await bootFailure({ listeners: [EmptySubscriber] });
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain('EmptySubscriber');
  });

  it('an undecorated class in listeners fails with config_invalid', async () => {
    class Undecorated {
      handle(): void {}
    }
    const error = await bootFailure({ listeners: [Undecorated] });
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain('Undecorated');
  });
});
