import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Job, Queue } from 'bullmq';
import { expect } from 'vitest';
import { Event, Listener } from '../../../src/index.js';
import { createTestDatabase } from '../../support/postgres-database.js';
import { testRedisUrl, uniqueQueueName } from '../../support/redis-url.js';
import { collect, createTempProject, REPO_ROOT, type TempProject } from '../../support/temp-project.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * A project whose one queued listener (bullmq, on TEST_REDIS_URL under TEST_PREFIX) appends the
 * order id to OUT_FILE, with the outbox on DATABASE_URL. Tests dispatch from their own process
 * with the same wire names ({@link ProjectOrder}, {@link ProjectShip}).
 */
export const OUTBOX_PROJECT_CONFIG = `import { defineConfig } from 'herald';
export default defineConfig({
  discover: ['src/listeners'],
  queue: { default: 'redis', connections: { redis: { driver: 'bullmq', url: process.env.TEST_REDIS_URL, prefix: process.env.TEST_PREFIX } } },
  outbox: { url: process.env.DATABASE_URL, pollInterval: 500 },
});
`;

export const OUTBOX_PROJECT_LISTENERS = `
import { Event, Listener } from 'herald';
import { appendFileSync } from 'node:fs';

@Event('cli-outbox.order')
export class Order { constructor(readonly id: string) {} }

@Listener(Order, { queue: true, name: 'Ship' })
export class Ship {
  handle(event: Order): void {
    appendFileSync(process.env.OUT_FILE ?? 'out.log', event.id + '\\n');
  }
}
`;

@Event('cli-outbox.order')
export class ProjectOrder {
  constructor(readonly id: string) {}
}

@Listener(ProjectOrder, { queue: true, name: 'Ship' })
export class ProjectShip {
  handle(): void {}
}

/** A temp project of {@link OUTBOX_PROJECT_CONFIG} and the env its processes need. */
export interface OutboxProject {
  readonly project: TempProject;
  /** TEST_REDIS_URL, TEST_PREFIX (unique) and DATABASE_URL (a fresh database). */
  readonly env: Record<string, string>;
}

/**
 * Makes an outbox project named after `name` (temp folder, queue prefix and database): the
 * config, `files` (path → text; by default the {@link OUTBOX_PROJECT_LISTENERS}), and `pg` linked
 * into its node_modules when a script of the project imports it.
 */
export async function createOutboxProject(
  name: string,
  {
    files = { 'src/listeners/order.ts': OUTBOX_PROJECT_LISTENERS },
    linkPg = false,
  }: OutboxProjectOptions = {},
): Promise<OutboxProject> {
  const project = createTempProject(`herald-${name}`);
  project.write('herald.config.ts', OUTBOX_PROJECT_CONFIG);
  for (const [path, text] of Object.entries(files)) project.write(path, text);
  if (linkPg)
    symlinkSync(join(REPO_ROOT, 'node_modules', 'pg'), join(project.dir, 'node_modules', 'pg'), 'dir');
  const env = {
    TEST_REDIS_URL: testRedisUrl(),
    TEST_PREFIX: uniqueQueueName(name),
    DATABASE_URL: await createTestDatabase(name.replaceAll('-', '_')),
  };
  return { project, env };
}

/** What {@link createOutboxProject} writes beside the config. */
export interface OutboxProjectOptions {
  readonly files?: Readonly<Record<string, string>>;
  readonly linkPg?: boolean;
}

/**
 * A relay started after the app died: checks that `outbox:status` shows `expected` rows waiting,
 * runs `herald outbox:relay` until `queue` holds that many jobs, stops it with SIGTERM (it must
 * exit 0) and returns the waiting jobs.
 */
export async function relayLater(
  { project, env }: OutboxProject,
  queue: Queue,
  expected: number,
): Promise<Job[]> {
  const status = await project.herald(['outbox:status', '--json'], { env });
  expect(JSON.parse(status.stdout).waiting).toBe(expected);
  const relay = project.spawnHerald(['outbox:relay'], { env });
  const relayed = collect(relay);
  await waitFor(`the relay to push ${expected} jobs`, async () => (await queue.count()) === expected, {
    timeoutMs: 20_000,
  });
  relay.kill('SIGTERM');
  expect((await relayed).code).toBe(0);
  return queue.getJobs(['waiting']);
}
