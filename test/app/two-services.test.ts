import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServerHandle, startRedisServer } from '../support/redis-server.js';
import { compiledAppTsconfig, REPO_ROOT, type RunResult } from '../support/temp-project.js';
import { createPackedProject, type PackedProject } from './packed-project.js';

// README "## Streams" as a user meets it: herald installed from `npm pack` into a project outside
// the repo holding two services that share nothing but a stream on Redis. orders (compiled with
// tsc, run with node) publishes; billing (TypeScript, run by the herald CLI) consumes through its
// own event class with the same wire name, dead-letters a poison order, and is replayed.

const ORDERS_EVENT = `import { Event } from 'herald';
@Event<OrderPlaced>('orders.placed', { stream: 'orders', key: (e) => e.orderId })
export class OrderPlaced {
  constructor(readonly orderId: string, readonly quantity: number, readonly total: number) {}
}
`;
const PUBLISH = `import { createHerald, loadConfig } from 'herald';
import { OrderPlaced } from './events/order-placed.js';
const herald = await createHerald((await loadConfig()).config);
for (const [id, quantity] of [['o-1', 1], ['o-2', 0], ['o-3', 2]] as const)
  await herald.dispatch(new OrderPlaced(id, quantity, quantity * 10));
await herald.close();
console.log('published');
`;
const BILLING_EVENT = `import { Event } from 'herald';
@Event('orders.placed', { stream: 'orders' })
export class OrderPlaced {
  constructor(readonly orderId: string, readonly quantity: number) {}
}
`;
const ISSUE_INVOICE = `import { appendFileSync } from 'node:fs';
import { Listener, type ListenerContext } from 'herald';
import { OrderPlaced } from '../events/order-placed.js';
@Listener(OrderPlaced, { connection: 'log', startFrom: 'start', tries: 2, backoff: 10 })
export class IssueInvoice {
  handle(event: OrderPlaced, ctx: ListenerContext): void {
    if (event.quantity === 0) throw new Error(\`cannot invoice \${event.orderId}: quantity 0\`);
    appendFileSync(process.env.INVOICES as string, \`\${event.orderId} \${ctx.jobId}\\n\`);
  }
}
`;
const config = (discover: string) => `import { defineConfig } from 'herald';
export default defineConfig({
  discover: [${discover}],
  queue: { default: 'log', connections: { log: { driver: 'streams', url: process.env.REDIS_URL, prefix: 'shop' } } },
});
`;

describe('two services on one stream, herald from npm pack (orders compiled, billing TypeScript)', () => {
  let server: RedisServerHandle;
  let project: PackedProject;
  let invoices: string;
  const herald = (args: readonly string[]): Promise<RunResult> =>
    project.node(['../node_modules/herald/dist/cli/bin.js', ...args], {
      cwd: 'billing',
      env: { REDIS_URL: server.url, INVOICES: invoices },
    });
  const invoiced = () => readFileSync(invoices, 'utf8').trim().split('\n');

  beforeAll(async () => {
    server = await startRedisServer();
    project = createPackedProject('herald-two-services', ['typescript', '@types/node']);
    invoices = join(project.dir, 'invoices.txt');
    project.write('invoices.txt', '');
    project.write('orders/herald.config.ts', config("'src/events'"));
    project.write('orders/src/events/order-placed.ts', ORDERS_EVENT);
    project.write('orders/src/publish.ts', PUBLISH);
    project.write('orders/tsconfig.json', compiledAppTsconfig('.', ['herald.config.ts', 'src'], ['node']));
    project.write('orders/package.json', JSON.stringify({ type: 'module' }));
    project.write('billing/herald.config.ts', config("'src/events', 'src/listeners'"));
    project.write('billing/src/events/order-placed.ts', BILLING_EVENT);
    project.write('billing/src/listeners/issue-invoice.ts', ISSUE_INVOICE);
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const built = await project.node([tsc, '-p', 'tsconfig.json'], { cwd: 'orders' });
    expect(built.stdout + built.stderr).toBe('');
  }, 120_000);
  afterAll(async () => {
    project?.remove();
    await server?.stop();
  });

  it('orders publishes before billing ever ran; billing invoices from the start, dead-letters the poison order, and replays', async () => {
    const published = await project.node(['dist/src/publish.js'], {
      cwd: 'orders',
      env: { REDIS_URL: server.url },
    });
    expect(published.stderr).toBe('');
    expect(published.stdout.trim()).toBe('published');

    const worked = await herald(['queue:work', '--stop-when-empty']);
    expect(worked.code).toBe(0);
    expect(invoiced().map((line) => line.split(' ')[0])).toEqual(['o-1', 'o-3']);

    const dead = await herald(['stream:dead', 'IssueInvoice', '--json']);
    expect(dead.code).toBe(0);
    const letters = JSON.parse(dead.stdout) as { attempts: number; error: string; entryId: string }[];
    expect(letters).toHaveLength(1);
    expect(letters[0]?.attempts).toBe(2);
    expect(letters[0]?.error).toBe('cannot invoice o-2: quantity 0');

    // Replay from o-3's entry: only o-3 is invoiced again.
    const o3 = invoiced()[1]?.split(' ')[1] as string;
    const replayed = await herald(['stream:replay', 'IssueInvoice', '--from', o3]);
    expect(replayed.code).toBe(0);
    const again = await herald(['queue:work', '--stop-when-empty']);
    expect(again.code).toBe(0);
    expect(invoiced().map((line) => line.split(' ')[0])).toEqual(['o-1', 'o-3', 'o-3']);
  });
});
