import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { Ping, useWorkOptionsProject } from './support/work-options-project.js';

/** Two `herald queue:work` processes on one queue share its jobs, each handled exactly once. */

describe('herald queue:work options (real binary, real Redis)', () => {
  /** A fresh prefix and output file for one test. */
  const world = useWorkOptionsProject();

  it('two worker processes on one queue share 200 jobs: each handled exactly once, both take some, both exit 0 on SIGTERM', async () => {
    const w = world();
    const app = await w.dispatcher();
    const workers = [
      w.spawn(['queue:work', '--concurrency', '2'], { PING_SLEEP_MS: '5' }),
      w.spawn(['queue:work', '--concurrency', '2'], { PING_SLEEP_MS: '5' }),
    ];
    await waitFor('both workers to start', () => workers.every((worker) => worker.bannerAt() !== undefined), {
      timeoutMs: 30_000,
      describe: () => workers.map((worker) => worker.stderr()).join('\n---\n'),
    });

    // Dispatch in batches, so a backlog builds up that both workers pull from.
    for (let from = 1; from <= 200; from += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => app.dispatch(new Ping(from + i))));
    }
    await waitFor('200 handled jobs', () => w.lines().length >= 200, {
      timeoutMs: 40_000,
      describe: () => `${w.lines().length} lines`,
    });
    // Give a duplicate a moment to show up.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const lines = w.lines();
    const handled = lines.map((line) => Number(line.split(' ')[1]));
    expect(handled).toHaveLength(200);
    expect(new Set(handled).size).toBe(200);
    expect([...handled].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const pids = new Set(lines.map((line) => Number(line.split(' ')[2])));
    const workerPids = workers.map((worker) => worker.child.pid);
    expect([...pids].sort()).toEqual([...workerPids].sort());

    for (const worker of workers) worker.child.kill('SIGTERM');
    const exits = await Promise.all(workers.map((worker) => worker.exited));
    for (const [i, exit] of exits.entries()) {
      expect(exit, workers[i]?.stderr()).toMatchObject({ code: 0, signal: null });
      expect(workers[i]?.stderr()).toContain('SIGTERM received, finishing active jobs');
    }
    expect(await w.counts('emails')).toMatchObject({ wait: 0, active: 0, completed: 200, failed: 0 });
  }, 90_000);
});
