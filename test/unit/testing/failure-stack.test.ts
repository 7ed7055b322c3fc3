import { AssertionError } from 'node:assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Event, Listener } from '../../../src/index.js';
import type { EventFake } from '../../../src/testing/index.js';
import { useHerald } from '../dispatch/support.js';

@Event()
class OrderShipped {
  constructor(readonly orderId: string) {}
}

@Listener(OrderShipped, { queue: true })
class SendShipmentNotification {
  handle(_event: OrderShipped): void {}
}

/** Registered in no app below. */
class NotListening {
  handle(_event: OrderShipped): void {}
}

const boot = useHerald();
const THIS_FILE = fileURLToPath(import.meta.url);

/** The first stack frame of the AssertionError `fn` throws. */
function firstFrame(fn: () => void): string {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected an AssertionError').toBeInstanceOf(AssertionError);
  const frame = String((caught as Error).stack)
    .split('\n')
    .find((line) => line.trimStart().startsWith('at '));
  return frame ?? '(no frame)';
}

async function fakedWithOneDispatch(): Promise<EventFake> {
  const herald = await boot({ listeners: [SendShipmentNotification] });
  const fake = herald.fake();
  await herald.dispatch(new OrderShipped('o-1'));
  return fake;
}

// Each arrow below is the "test's line": a failure must point there, not into the fake.
describe('a failed assertion points at the test', () => {
  it('every assertion - the first stack frame of its AssertionError is in the test file', async () => {
    const fake = await fakedWithOneDispatch();
    const failures: (() => void)[] = [
      () => fake.assertDispatched(OrderShipped, (e) => e.orderId === 'o-2'),
      // With a count it shares its check with assertDispatchedTimes: still the caller's frame.
      () => fake.assertDispatched(OrderShipped, 2),
      () => fake.assertDispatchedTimes(OrderShipped, 2),
      () => fake.assertNotDispatched(OrderShipped),
      () => fake.assertNothingDispatched(),
      () => fake.assertListening(OrderShipped, NotListening),
      () => fake.assertQueued(SendShipmentNotification, (e) => e.orderId === 'o-2'),
      () => fake.assertNotQueued(SendShipmentNotification),
    ];
    for (const fail of failures) expect(firstFrame(fail)).toContain(THIS_FILE);
  });

  it('assertNotDispatched - the first frame is the line of the call, as the file numbers it', async () => {
    const fake = await fakedWithOneDispatch();
    const frame = firstFrame(() => {
      fake.assertNotDispatched(OrderShipped); // the failing call
    });
    const line =
      readFileSync(THIS_FILE, 'utf8')
        .split('\n')
        .findIndex((text) => text.endsWith('// the failing call')) + 1;
    expect(frame).toContain(`${THIS_FILE}:${line}:`);
  });
});
