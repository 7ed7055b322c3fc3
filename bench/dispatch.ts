/**
 * Dispatch throughput: herald (class listeners resolved from the container, awaited) beside
 * node:events, eventemitter2 and emittery, all in one run so the ratios are comparable.
 *
 *   npm run bench:dispatch
 */
import 'reflect-metadata';
import { EventEmitter } from 'node:events';
import Emittery from 'emittery';
import EventEmitter2 from 'eventemitter2';
import { createHerald, Event, Listener } from 'herald';
import { measure, printTable } from './measure.js';

@Event()
class OrderShipped {
  constructor(
    readonly orderId: string,
    readonly total: number,
  ) {}
}

@Event()
class UserSignedUp {
  constructor(readonly userId: string) {}
}

let sink = 0;

@Listener(OrderShipped)
class First {
  handle(event: OrderShipped): void {
    sink += event.total;
  }
}
@Listener(OrderShipped)
class Second {
  handle(event: OrderShipped): void {
    sink += event.total;
  }
}
@Listener(OrderShipped)
class Third {
  handle(event: OrderShipped): void {
    sink += event.total;
  }
}
@Listener(UserSignedUp)
class Only {
  handle(event: UserSignedUp): void {
    sink += event.userId.length;
  }
}

const listener = (event: { total: number }) => {
  sink += event.total;
};

async function main(): Promise<void> {
  const herald = await createHerald({ listeners: [First, Second, Third, Only] });
  const shipped = new OrderShipped('o-1', 42);
  const signedUp = new UserSignedUp('u-1');

  const node = new EventEmitter();
  const ee2 = new EventEmitter2.EventEmitter2();
  const emittery = new Emittery();
  for (let i = 0; i < 3; i++) {
    node.on('shipped', listener);
    ee2.on('shipped', listener);
    emittery.on('shipped', listener);
  }

  const results = [
    await measure('node:events emit (3, sync)', () => node.emit('shipped', shipped)),
    await measure('eventemitter2 emitAsync (3)', () => ee2.emitAsync('shipped', shipped)),
    await measure('emittery emit (3)', () => emittery.emit('shipped', shipped)),
    await measure('emittery emitSerial (3)', () => emittery.emitSerial('shipped', shipped)),
    await measure('herald dispatch (1 listener)', () => herald.dispatch(signedUp)),
    await measure('herald dispatch (3 listeners)', () => herald.dispatch(shipped)),
  ];
  await herald.close();
  printTable(
    'Dispatches per second (awaited one after another; median of 5 rounds)',
    results,
    'herald dispatch (3 listeners)',
  );
  const rate = (name: string) => results.find((result) => result.name === name)?.opsPerSecond ?? 0;
  const h3 = rate('herald dispatch (3 listeners)');
  console.log(
    `\nherald(3) / eventemitter2 emitAsync(3) = ${(h3 / rate('eventemitter2 emitAsync (3)')).toFixed(2)}x (target >= 1.5x)`,
  );
  console.log(
    `herald(3) / emittery emit(3)          = ${(h3 / rate('emittery emit (3)')).toFixed(2)}x (target >= 4x)`,
  );
  if (sink === 0) console.log('(sink unused)');
}

await main();
