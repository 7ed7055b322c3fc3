/**
 * Writes the README's dashboard screenshots (docs/dashboard/overview.png, failed.png, job.png)
 * from the real page: boots the playground's orders app on its memory queue, places and ships a
 * few orders (the warehouse listener always fails), serves the dashboard and photographs it with
 * the system Chromium (apt-get install chromium).
 *
 *   npm run build && npx jiti scripts/dashboard-screenshots.ts
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../test/support/browser.js';

const root = join(import.meta.dirname, '..');
const out = join(root, 'docs', 'dashboard');
const scratch = mkdtempSync(join(tmpdir(), 'herald-screenshots-'));
// The playground's services read these when they load: set them before importing its config.
process.env.PLAYGROUND_ACTIVITY_FILE = join(scratch, 'activity.jsonl');
process.env.PLAYGROUND_OUTBOX_FILE = join(scratch, 'outbox.txt');
delete process.env.REDIS_URL;

const { createHerald, loadConfig } = await import('herald');
const { createDashboard } = await import('herald/dashboard');
const { OrderPlaced } = await import('../playground/src/events/order-placed.js');
const { OrderShipped } = await import('../playground/src/events/order-shipped.js');
const { UserLoggedIn, UserLoggedOut } = await import('../playground/src/events/user-events.js');

const { config } = await loadConfig({ configPath: join(root, 'playground', 'herald.config.ts') });
const herald = await createHerald(config);
const customers = ['alice', 'bob', 'carol', 'dan'];
for (const [i, name] of customers.entries()) {
  const email = `${name}@example.com`;
  await herald.dispatch(new UserLoggedIn(email));
  await herald.dispatch(new OrderPlaced(`o-${100 + i}`, email, 'kettle', 1, new Date()));
  await herald.dispatch(new UserLoggedOut(email));
}
for (const [i, carrier] of ['DHL', 'UPS', 'DHL'].entries())
  await herald.dispatch(new OrderShipped(`o-${100 + i}`, carrier));
await herald.drain();

const dashboard = createDashboard({ herald, basePath: '/herald', redact: ['email'] });
const server = createServer((request, response) => dashboard(request, response));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/herald`;
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
  mkdirSync(out, { recursive: true });
  const [newest] = await herald.failedJobs({ limit: 1, withData: false });
  if (newest === undefined) throw new Error('the playground kept no failed job to show');
  const shots: readonly (readonly [string, string])[] = [
    ['overview.png', '/'],
    ['failed.png', '/failed'],
    ['job.png', `/jobs/${encodeURIComponent(newest.id)}?connection=${newest.connection}`],
  ];
  for (const [file, path] of shots) {
    await page.goto(`${url}${path}`);
    // The page script has connected to the live stream: the header says "live".
    await page.locator('[data-testid="live-status"][data-state="open"]').waitFor();
    await page.screenshot({ path: join(out, file), fullPage: true });
    console.log(
      `${join('docs', 'dashboard', file)}: ${Math.round(statSync(join(out, file)).size / 1024)} KB`,
    );
  }
} finally {
  await browser.close();
  dashboard.close();
  server.close();
  server.closeAllConnections();
  await herald.close();
  rmSync(scratch, { recursive: true, force: true });
}
