import { afterAll, beforeAll } from 'vitest';
import { Event, Listener } from '../../../src/index.js';
import { createTempProject, type TempProject } from '../../support/temp-project.js';
import { type ProjectWorld, redisProjectConfig, useProjectWorlds } from './redis-project.js';

/**
 * The project the `herald queue:work` option tests run the real binary in (outside the repo, on the
 * shared test Redis, a unique prefix per test). Jobs are dispatched from the test process by an app
 * whose events and listeners have the project's wire names (it only enqueues, never runs them).
 */

/** The project's listeners: they append `ping <n> <pid>` / `lead <n> <pid>` to OUT_FILE. */
const PROJECT_LISTENERS = `
import { Event, Listener } from 'herald';
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

function record(line: string): void {
  appendFileSync(process.env.OUT_FILE ?? 'out.log', line + '\\n');
}

@Event('opts.ping')
export class Ping { constructor(readonly n: number) {} }

@Event('opts.lead')
export class Lead { constructor(readonly n: number) {} }

@Listener(Ping, { queue: 'emails', name: 'RecordPing' })
export class RecordPing {
  async handle(event: Ping): Promise<void> {
    const ms = Number(process.env.PING_SLEEP_MS ?? 0);
    if (ms > 0) await sleep(ms);
    if (event.n < 0) throw new Error('ping ' + event.n + ' refused');
    record('ping ' + event.n + ' ' + process.pid);
  }
}

@Listener(Lead, { queue: 'crm', name: 'SyncCrm' })
export class SyncCrm {
  handle(event: Lead): void {
    record('lead ' + event.n + ' ' + process.pid);
  }
}
`;

// The same wire names as the project's classes, for dispatching from the test process.
@Event('opts.ping')
export class Ping {
  constructor(readonly n: number) {}
}

@Event('opts.lead')
export class Lead {
  constructor(readonly n: number) {}
}

@Listener(Ping, { queue: 'emails', name: 'RecordPing' })
class RecordPing {
  handle(_event: Ping): void {
    throw new Error('only the project runs this listener');
  }
}

@Listener(Lead, { queue: 'crm', name: 'SyncCrm' })
class SyncCrm {
  handle(_event: Lead): void {
    throw new Error('only the project runs this listener');
  }
}

/** The start of an ANSI escape sequence (colour codes). */
export const ANSI = '\u001b[';

/**
 * Makes the project for the calling describe block (removed after it) and returns `world()`: a
 * fresh prefix and output file for one test, with the processes and apps it starts cleaned up.
 */
export function useWorkOptionsProject(): (extra?: Record<string, string>) => ProjectWorld {
  let project: TempProject;

  beforeAll(() => {
    project = createTempProject('herald-work-options');
    project.write('herald.config.ts', redisProjectConfig({ memory: true }));
    project.write('src/listeners/listeners.ts', PROJECT_LISTENERS);
  });

  afterAll(() => project?.remove());

  return useProjectWorlds(() => project, { name: 'work-opts', listeners: [RecordPing, SyncCrm] });
}

/** This process's env without anything that forces colour on or off. */
export function colourEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.NODE_DISABLE_COLORS;
  return env;
}
