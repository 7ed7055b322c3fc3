import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collect,
  createTempProject,
  JITI_BIN,
  type RunResult,
  type TempProject,
} from '../../support/temp-project.js';

// herald's fake under node's own test runner, as a user's project runs it: a temp project with
// `herald` linked into node_modules (the build vitest's global setup made), imported by package
// name through the `exports` map, `herald/testing` included.

/** Plain JS: decorators applied by hand, since a .mjs file cannot use decorator syntax. */
const SHOP = `
import { createHerald, Event, Listener } from 'herald';

export const sent = [];

export class OrderShipped {
  constructor(orderId, total) {
    this.orderId = orderId;
    this.total = total;
  }
}
Event()(OrderShipped);

export class SendShipmentNotification {
  handle(event) {
    sent.push(event.orderId);
  }
}
Listener(OrderShipped, { queue: true, tries: 2 })(SendShipmentNotification);

export function boot() {
  return createHerald({ queue: { default: 'sync' }, listeners: [SendShipmentNotification] });
}

export async function shipOrder(herald, orderId, total) {
  await herald.dispatch(new OrderShipped(orderId, total));
}
`;

const PASSING = `
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { EventFake } from 'herald/testing';
import { boot, OrderShipped, SendShipmentNotification, sent, shipOrder } from './shop.mjs';

// One app for the whole file: afterEach restores the fake, so no test sees another's fake.
let herald;
let fake;
before(async () => {
  herald = await boot();
});
afterEach(() => fake?.restore());
after(() => herald.close());

test('a faked dispatch is recorded and queues nothing', async () => {
  fake = herald.fake();
  assert.ok(fake instanceof EventFake);
  await shipOrder(herald, 'o-1', 42);
  fake.assertDispatched(OrderShipped, (event) => event.total === 42);
  fake.assertDispatchedTimes(OrderShipped, 1);
  fake.assertQueued(SendShipmentNotification, (event) => event.orderId === 'o-1');
  assert.deepEqual(sent, []);
  await fake.runQueued();
  assert.deepEqual(sent, ['o-1']);
});

test('the next test runs for real: the fake was restored', async () => {
  sent.length = 0;
  await shipOrder(herald, 'o-2', 7);
  assert.deepEqual(sent, ['o-2']);
});
`;

const FAILING = `
import { test } from 'node:test';
import { boot, OrderShipped, shipOrder } from './shop.mjs';

test('dispatched once, expected twice', async () => {
  const herald = await boot();
  try {
    const fake = herald.fake();
    await shipOrder(herald, 'o-1', 42);
    fake.assertDispatchedTimes(OrderShipped, 2);
  } finally {
    await herald.close();
  }
});
`;

/** TypeScript with real decorators, run by jiti (node:test runs a file executed directly). */
const TYPESCRIPT = `
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { createHerald, Event, type Herald, Listener } from 'herald';
import type { EventFake } from 'herald/testing';

@Event()
class OrderShipped {
  constructor(readonly orderId: string, readonly total: number) {}
}

@Listener(OrderShipped, { queue: true })
class SendShipmentNotification {
  handle(event: OrderShipped): void {
    throw new Error(\`ran while faked: \${event.orderId}\`);
  }
}

let herald: Herald | undefined;
let fake: EventFake | undefined;
afterEach(async () => {
  fake?.restore();
  await herald?.close();
});

test('decorated classes, faked', async () => {
  herald = await createHerald({ listeners: [SendShipmentNotification] });
  fake = herald.fake();
  await herald.dispatch(new OrderShipped('o-1', 42));
  fake.assertDispatched(OrderShipped, (event) => event.total === 42);
  fake.assertQueued(SendShipmentNotification, (event) => event.orderId === 'o-1');
});

test('a failing assertion reports its message', async () => {
  herald = await createHerald({ listeners: [SendShipmentNotification] });
  fake = herald.fake();
  assert.throws(() => fake?.assertQueued(SendShipmentNotification), {
    name: 'AssertionError',
    message: 'Expected SendShipmentNotification to be queued, but it was not. Nothing was queued.',
  });
});
`;

let project: TempProject;
beforeAll(() => {
  project = createTempProject('herald-node-test');
  project.write('shop.mjs', SHOP);
  project.write('passing.test.mjs', PASSING);
  project.write('failing.test.mjs', FAILING);
  project.write('typescript.test.ts', TYPESCRIPT);
});
afterAll(() => project?.remove());

/** Runs node in the project with the TAP reporter (stable text to read). */
function node(args: readonly string[]): Promise<RunResult> {
  const child = spawn(process.execPath, [...args], {
    cwd: project.dir,
    env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: '--test-reporter=tap' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collect(child, 60_000);
}

describe('herald/testing under node:test', () => {
  it('node --test - a file using herald.fake() passes, and afterEach restore keeps tests apart', async () => {
    const result = await node(['--test', 'passing.test.mjs']);
    expect(result.stdout, result.stderr).toMatch(/^# pass 2$/m);
    expect(result.stdout).toMatch(/^# fail 0$/m);
    expect(result.code).toBe(0);
  }, 60_000);

  it('node --test - a failing assertion fails the run with the AssertionError and its message', async () => {
    const result = await node(['--test', 'failing.test.mjs']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^# fail 1$/m);
    expect(result.stdout).toContain(
      "error: 'Expected OrderShipped to be dispatched 2 times, but it was dispatched 1 time. Dispatched: OrderShipped ×1.'",
    );
    expect(result.stdout).toContain("name: 'AssertionError'");
    expect(result.stdout).toContain("code: 'ERR_ASSERTION'");
  }, 60_000);

  it('jiti - a TypeScript node:test file with decorators passes', async () => {
    const result = await node([JITI_BIN, 'typescript.test.ts']);
    expect(result.stdout, result.stderr).toMatch(/^# pass 2$/m);
    expect(result.stdout).toMatch(/^# fail 0$/m);
    expect(result.code).toBe(0);
  }, 60_000);
});
