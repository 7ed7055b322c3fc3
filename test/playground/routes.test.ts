// The playground's HTTP routes, tested the way an app using herald would test them: with
// herald/testing's fake (no listener runs), then running the recorded queued work inline.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHerald, type Herald, loadConfig } from 'herald';
import type { EventFake } from 'herald/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'herald-playground-routes-'));
process.env.PLAYGROUND_ACTIVITY_FILE = join(dir, 'activity.jsonl');
process.env.PLAYGROUND_OUTBOX_FILE = join(dir, 'outbox.txt');
delete process.env.REDIS_URL;

// Imported after the environment is set: the playground's services read it when they load.
const { createOrdersServer } = await import('../../playground/src/server.js');
const { OrderPlaced } = await import('../../playground/src/events/order-placed.js');
const { OrderShipped } = await import('../../playground/src/events/order-shipped.js');
const { UserLoggedIn, UserLoggedOut } = await import('../../playground/src/events/user-events.js');
const { SendOrderConfirmation } = await import('../../playground/src/listeners/send-order-confirmation.js');
const { SyncToCrm } = await import('../../playground/src/listeners/sync-to-crm.js');
const { NotifyWarehouse } = await import('../../playground/src/listeners/notify-warehouse.js');
const { ReserveStock } = await import('../../playground/src/listeners/reserve-stock.js');
const { AuditTrail } = await import('../../playground/src/listeners/audit-trail.js');
const { ActivityLog } = await import('../../playground/src/services/activity-log.js');

describe('playground routes (with herald/testing)', () => {
  let herald: Herald;
  let fake: EventFake;
  let server: Server;
  let base: string;

  beforeEach(async () => {
    ActivityLog.reset();
    rmSync(process.env.PLAYGROUND_OUTBOX_FILE as string, { force: true });
    const { config } = await loadConfig({
      configPath: join(import.meta.dirname, '../../playground/herald.config.ts'),
    });
    herald = await createHerald(config);
    fake = herald.fake();
    server = createOrdersServer(herald);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    fake.restore();
    await new Promise((resolve) => server.close(resolve));
    await herald.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });

  it('POST /orders dispatches OrderPlaced, queues the email and CRM sync, and runs no listener', async () => {
    const response = await post('/orders', { email: 'alice@example.com', sku: 'kettle', quantity: 2 });
    expect(response.status).toBe(201);
    const { orderId } = (await response.json()) as { orderId: string };

    fake.assertDispatched(OrderPlaced, (event) => event.orderId === orderId && event.quantity === 2);
    fake.assertDispatchedTimes(OrderPlaced, 1);
    fake.assertQueued(SendOrderConfirmation, (event) => event.email === 'alice@example.com');
    fake.assertQueued(SyncToCrm);
    fake.assertListening(OrderPlaced, ReserveStock);
    fake.assertListening(OrderPlaced, AuditTrail);
    expect(ActivityLog.read()).toEqual([]);

    // The queued work, inline: the email goes out, the CRM sync succeeds on its second try.
    await fake.runQueued();
    expect(readFileSync(process.env.PLAYGROUND_OUTBOX_FILE as string, 'utf8')).toContain(
      `Order ${orderId} confirmed`,
    );
    expect(ActivityLog.read().map((activity) => `${activity.who}: ${activity.what}`)).toEqual([
      `SendOrderConfirmation: emailed alice@example.com about ${orderId} (queue emails, attempt 1)`,
      `SyncToCrm: attempt 1/3 for ${orderId}: CRM timed out, will retry`,
      `SyncToCrm: attempt 2/3 for ${orderId}: synced`,
    ]);
  });

  it('POST /orders/:id/ship queues the warehouse notice; run inline, it fails and calls failed() once', async () => {
    const response = await post('/orders/o-9/ship', { carrier: 'DHL' });
    expect(response.status).toBe(202);
    fake.assertDispatched(OrderShipped, (event) => event.carrier === 'DHL');
    fake.assertQueued(NotifyWarehouse, (event) => event.orderId === 'o-9');
    await expect(fake.runQueued()).rejects.toThrow('warehouse API returned 503');
    expect(ActivityLog.read().filter((activity) => activity.what.startsWith('failed()'))).toHaveLength(1);
  });

  it('POST /login and /logout dispatch the user events; bad input dispatches nothing', async () => {
    expect((await post('/login', { email: 'bob@example.com' })).status).toBe(204);
    expect((await post('/logout', { email: 'bob@example.com' })).status).toBe(204);
    fake.assertDispatched(UserLoggedIn, (event) => event.email === 'bob@example.com');
    fake.assertDispatched(UserLoggedOut);
    fake.assertQueued('UserActivitySubscriber.onLogout');

    fake.restore();
    fake = herald.fake();
    expect((await post('/orders', { sku: 'kettle' })).status).toBe(400);
    fake.assertNothingDispatched();
  });

  it('with only OrderShipped faked, placing an order runs the real stock listener', async () => {
    fake.restore();
    fake = herald.fake([OrderShipped]);
    const refused = await post('/orders', { email: 'carol@example.com', sku: 'teapot', quantity: 5 });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({ error: 'only 2 teapot left' });
    fake.assertNotDispatched(OrderPlaced);
  });
});
