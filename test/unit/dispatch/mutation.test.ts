import { beforeEach, describe, expect, it } from 'vitest';
import { Event, Listener } from '../../../src/index.js';
import { useHerald } from './support.js';

const log: string[] = [];
beforeEach(() => {
  log.length = 0;
});

@Event()
class Tick {
  constructor(readonly n: number) {}
}

@Listener(Tick)
class First {
  handle(event: Tick): void {
    log.push(`first ${event.n}`);
  }
}

@Listener(Tick)
class Last {
  handle(event: Tick): void {
    log.push(`last ${event.n}`);
  }
}

const boot = useHerald();

describe('changing listeners during a dispatch', () => {
  it('dispatch() - a listener added during a dispatch runs from the next dispatch on', async () => {
    const herald = await boot({ listeners: [First, Last] });
    let added = false;
    herald.listen(
      Tick,
      (event) => {
        if (added) return;
        added = true;
        herald.listen(Tick, (e) => void log.push(`added ${e.n}`));
        log.push(`adder ${event.n}`);
      },
      { order: -1 },
    );
    await herald.dispatch(new Tick(1));
    expect(log).toEqual(['adder 1', 'first 1', 'last 1']);
    await herald.dispatch(new Tick(2));
    expect(log.slice(3)).toEqual(['first 2', 'last 2', 'added 2']);
  });

  it('dispatch() - a listener removed during a dispatch still runs in that dispatch, not the next', async () => {
    const herald = await boot({ listeners: [First] });
    let offLast: (() => void) | undefined;
    herald.listen(
      Tick,
      (event) => {
        log.push(`remover ${event.n}`);
        offLast?.();
      },
      { order: -1 },
    );
    offLast = herald.listen(Tick, Last);
    await herald.dispatch(new Tick(1));
    expect(log).toEqual(['remover 1', 'first 1', 'last 1']);
    await herald.dispatch(new Tick(2));
    expect(log.slice(3)).toEqual(['remover 2', 'first 2']);
  });

  it('dispatch() - a listener that unsubscribes itself runs once', async () => {
    const herald = await boot({ listeners: [Last] });
    const off = herald.listen(
      Tick,
      (event) => {
        log.push(`once ${event.n}`);
        off();
      },
      { order: -1 },
    );
    await herald.dispatch(new Tick(1));
    await herald.dispatch(new Tick(2));
    expect(log).toEqual(['once 1', 'last 1', 'last 2']);
  });

  it('dispatch() - forget() during a dispatch does not cut that dispatch short', async () => {
    const herald = await boot({ listeners: [First, Last] });
    herald.listen(
      Tick,
      (event) => {
        log.push(`forgetter ${event.n}`);
        herald.forget(Tick);
      },
      { order: -1 },
    );
    await herald.dispatch(new Tick(1));
    await herald.dispatch(new Tick(2));
    expect(log).toEqual(['forgetter 1', 'first 1', 'last 1']);
  });

  it('dispatch() - a nested dispatch from a listener sees the listener added before it', async () => {
    const herald = await boot({ listeners: [First] });
    herald.listen(
      Tick,
      async (event) => {
        if (event.n !== 1) return;
        herald.listen(Tick, (e) => void log.push(`added ${e.n}`));
        await herald.dispatch(new Tick(2));
      },
      { order: -1 },
    );
    await herald.dispatch(new Tick(1));
    expect(log).toEqual(['first 2', 'added 2', 'first 1']);
  });

  it('dispatch() - two concurrent dispatches each run their own full plan', async () => {
    const herald = await boot({ listeners: [First, Last] });
    await Promise.all([herald.dispatch(new Tick(1)), herald.dispatch(new Tick(2))]);
    expect(log.filter((line) => line.endsWith(' 1'))).toEqual(['first 1', 'last 1']);
    expect(log.filter((line) => line.endsWith(' 2'))).toEqual(['first 2', 'last 2']);
  });
});
