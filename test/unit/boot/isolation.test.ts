import { describe, expect, it } from 'vitest';
import { createHerald, Event, Listener, On, Subscriber } from '../../../src/index.js';

const ran: string[] = [];

@Event()
class Ping {}

@Listener(Ping)
class FirstAppListener {
  handle(): void {
    ran.push('first');
  }
}

@Listener(Ping)
class SecondAppListener {
  handle(): void {
    ran.push('second');
  }
}

@Subscriber()
class ThirdAppSubscriber {
  @On(Ping) onPing(): void {
    ran.push('third');
  }
}

describe('decorating registers nothing: an app knows only what it was given', () => {
  it('two apps in one process never see each other’s listeners', async () => {
    ran.length = 0;
    const first = await createHerald({ listeners: [FirstAppListener] });
    const second = await createHerald({ listeners: [SecondAppListener, ThirdAppSubscriber] });
    try {
      expect(first.getListeners(Ping).map((info) => info.name)).toEqual(['FirstAppListener']);
      expect(second.getListeners(Ping).map((info) => info.name)).toEqual([
        'SecondAppListener',
        'ThirdAppSubscriber.onPing',
      ]);
      await first.dispatch(new Ping());
      expect(ran).toEqual(['first']);
      await second.dispatch(new Ping());
      expect(ran).toEqual(['first', 'second', 'third']);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('an app booted with no listeners runs none of the decorated classes in scope', async () => {
    ran.length = 0;
    const herald = await createHerald();
    try {
      expect(herald.hasListeners(Ping)).toBe(false);
      await herald.dispatch(new Ping());
      expect(ran).toEqual([]);
    } finally {
      await herald.close();
    }
  });

  it('an event is not known to an app until a listener, discovery or config brings it in', async () => {
    const herald = await createHerald({ listeners: [FirstAppListener] });
    const empty = await createHerald();
    try {
      expect(herald.eventClasses()).toEqual([Ping]);
      expect(empty.eventClasses()).toEqual([]);
    } finally {
      await herald.close();
      await empty.close();
    }
  });
});
