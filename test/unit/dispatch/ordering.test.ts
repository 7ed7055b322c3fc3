import { beforeEach, describe, expect, it } from 'vitest';
import { Event, Listener, On, Subscriber } from '../../../src/index.js';
import { sleep, useHerald } from './support.js';

const log: string[] = [];
beforeEach(() => {
  log.length = 0;
});

@Event()
class PageViewed {
  constructor(readonly path: string) {}
}

@Listener(PageViewed, { order: 10 })
class LateA {
  handle(): void {
    log.push('lateA');
  }
}

@Listener(PageViewed)
class Middle {
  handle(): void {
    log.push('middle');
  }
}

@Listener(PageViewed, { order: -5 })
class Early {
  handle(): void {
    log.push('early');
  }
}

@Listener(PageViewed, { order: 10 })
class LateB {
  handle(): void {
    log.push('lateB');
  }
}

@Subscriber()
class ViewSubscriber {
  @On(PageViewed) first(): void {
    log.push('sub.first');
  }
  @On(PageViewed) second(): void {
    log.push('sub.second');
  }
}

@Event()
class Stoppable {
  constructor(readonly stopAt: string) {}
}

@Listener(Stoppable)
class StopOne {
  handle(event: Stoppable): false | undefined {
    log.push('one');
    if (event.stopAt === 'one') return false;
  }
}

@Listener(Stoppable)
class StopTwo {
  async handle(event: Stoppable): Promise<false | undefined> {
    await sleep(1);
    log.push('two');
    if (event.stopAt === 'two') return false;
  }
}

@Listener(Stoppable, { queue: true })
class StopQueued {
  handle(): void {
    log.push('queued');
  }
}

@Listener(Stoppable)
class StopThree {
  handle(): void {
    log.push('three');
  }
}

@Event()
class Slow {
  constructor(readonly id: number) {}
}

@Listener(Slow)
class SlowA {
  async handle(): Promise<void> {
    log.push('A start');
    await sleep(5);
    log.push('A end');
  }
}

@Listener(Slow)
class SlowB {
  async handle(): Promise<void> {
    log.push('B start');
    await sleep(1);
    log.push('B end');
  }
}

@Listener(Slow)
class SyncC {
  handle(): void {
    log.push('C');
  }
}

const boot = useHerald();

describe('listener order', () => {
  it('dispatch() - sync listeners run by ascending `order`, ties in registration order', async () => {
    const herald = await boot({ listeners: [LateA, Middle, Early, LateB] });
    await herald.dispatch(new PageViewed('/'));
    expect(log).toEqual(['early', 'middle', 'lateA', 'lateB']);
  });

  it('dispatch() - ties keep the order the listeners were registered in, not declared in', async () => {
    const herald = await boot({ listeners: [LateB, Middle, LateA] });
    await herald.dispatch(new PageViewed('/'));
    expect(log).toEqual(['middle', 'lateB', 'lateA']);
  });

  it('dispatch() - subscriber methods run in source order among the other listeners', async () => {
    const herald = await boot({ listeners: [Middle, ViewSubscriber, LateA, Early] });
    await herald.dispatch(new PageViewed('/'));
    expect(log).toEqual(['early', 'middle', 'sub.first', 'sub.second', 'lateA']);
  });

  it('dispatch() - repeated dispatches run the same order every time', async () => {
    const herald = await boot({ listeners: [LateA, Middle, Early] });
    await herald.dispatch(new PageViewed('/a'));
    await herald.dispatch(new PageViewed('/b'));
    expect(log).toEqual(['early', 'middle', 'lateA', 'early', 'middle', 'lateA']);
  });

  it('getListeners() - reports the same order dispatch uses', async () => {
    const herald = await boot({ listeners: [LateA, Middle, Early, LateB] });
    expect(herald.getListeners(PageViewed).map((info) => info.name)).toEqual([
      'Early',
      'Middle',
      'LateA',
      'LateB',
    ]);
  });
});

describe('stopping propagation', () => {
  it('dispatch() - a listener returning false stops later listeners', async () => {
    const herald = await boot({ listeners: [StopOne, StopTwo, StopThree] });
    await herald.dispatch(new Stoppable('one'));
    expect(log).toEqual(['one']);
  });

  it('dispatch() - an async listener resolving to false stops later listeners', async () => {
    const herald = await boot({ listeners: [StopOne, StopTwo, StopThree] });
    await herald.dispatch(new Stoppable('two'));
    expect(log).toEqual(['one', 'two']);
  });

  it('dispatch() - returning false also keeps later queued listeners from being queued', async () => {
    const herald = await boot({ listeners: [StopOne, StopQueued, StopThree] });
    await herald.dispatch(new Stoppable('one'));
    await herald.drain();
    expect(log).toEqual(['one']);
  });

  it('dispatch() - later queued listeners run when nothing returns false', async () => {
    const herald = await boot({ listeners: [StopOne, StopQueued, StopThree] });
    await herald.dispatch(new Stoppable('none'));
    await herald.drain();
    expect(log).toEqual(['one', 'three', 'queued']);
  });

  it('dispatch() - false stops only the dispatch it was returned in', async () => {
    const herald = await boot({ listeners: [StopOne, StopThree] });
    await herald.dispatch(new Stoppable('one'));
    await herald.dispatch(new Stoppable('none'));
    expect(log).toEqual(['one', 'one', 'three']);
  });

  it('dispatch() - returning a falsy value other than false does not stop propagation', async () => {
    const herald = await boot({ listeners: [StopThree] });
    herald.listen(Stoppable, () => 0, { order: -1 });
    herald.listen(Stoppable, () => null, { order: -1 });
    herald.listen(Stoppable, () => '', { order: -1 });
    await herald.dispatch(new Stoppable('none'));
    expect(log).toEqual(['three']);
  });
});

describe('async listeners', () => {
  it('dispatch() - async listeners are awaited one after another, never overlapping', async () => {
    const herald = await boot({ listeners: [SlowA, SlowB, SyncC] });
    await herald.dispatch(new Slow(1));
    expect(log).toEqual(['A start', 'A end', 'B start', 'B end', 'C']);
  });

  it('dispatch() - resolves only after the last async listener finished', async () => {
    const herald = await boot({ listeners: [SlowA, SlowB] });
    const done = herald.dispatch(new Slow(1));
    expect(log).toEqual(['A start']);
    await done;
    expect(log.at(-1)).toBe('B end');
  });

  it('dispatch() and until() - a thenable that is not a native Promise is awaited like one', async () => {
    // A listener may return another library's promise: any object with then() is awaited, on the
    // all-sync path and the general path alike.
    const thenable = (value: unknown) => ({
      // biome-ignore lint/suspicious/noThenProperty: the point of the test is a hand-made thenable
      then(resolve: (result: unknown) => void): void {
        setTimeout(() => {
          log.push('thenable settled');
          resolve(value);
        }, 1);
      },
    });
    const herald = await boot();
    herald.listen(Slow, () => thenable(false));
    herald.listen(Slow, () => void log.push('after false'));
    await herald.dispatch(new Slow(1));
    expect(log).toEqual(['thenable settled']);
    herald.forget(Slow);
    herald.listen(Slow, () => thenable('answer'));
    expect(await herald.events.until(new Slow(2))).toBe('answer');
  });
});
