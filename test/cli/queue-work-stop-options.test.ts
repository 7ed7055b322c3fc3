import { describe, expect, it } from 'vitest';
import { Ping, useWorkOptionsProject } from './support/work-options-project.js';

/** When `herald queue:work` stops by itself: --max-jobs, --max-time, --stop-when-empty. */

describe('herald queue:work options (real binary, real Redis)', () => {
  /** A fresh prefix and output file for one test. */
  const world = useWorkOptionsProject();

  it('--max-jobs 5 with 12 jobs waiting handles exactly 5, exits 0, and leaves 7 waiting', async () => {
    const w = world();
    const app = await w.dispatcher();
    for (let n = 1; n <= 12; n++) await app.dispatch(new Ping(n));

    const result = await w.run(['queue:work', '--max-jobs', '5']);
    expect(result.code, result.stderr).toBe(0);
    expect(w.lines().map((line) => line.split(' ')[1])).toEqual(['1', '2', '3', '4', '5']);
    const logLines = result.stdout.split('\n').filter((line) => line.includes('RecordPing'));
    expect(logLines).toHaveLength(5);
    expect(await w.counts('emails')).toMatchObject({ wait: 7, active: 0, completed: 5, failed: 0 });
  });

  it('--max-jobs 5 --concurrency 3 still handles exactly 5 and leaves 7 waiting', async () => {
    const w = world();
    const app = await w.dispatcher();
    for (let n = 1; n <= 12; n++) await app.dispatch(new Ping(n));

    const result = await w.run(['queue:work', '--max-jobs', '5', '--concurrency', '3']);
    expect(result.code, result.stderr).toBe(0);
    expect(w.lines()).toHaveLength(5);
    expect(await w.counts('emails')).toMatchObject({ wait: 7, active: 0, completed: 5, failed: 0 });
  });

  it('--max-time 1 with no jobs exits 0 after about a second', async () => {
    const w = world();
    const worker = w.spawn(['queue:work', '--max-time', '1']);
    const exit = await worker.exited;
    expect(exit.code, worker.stderr()).toBe(0);
    expect(exit.at - worker.startedAt).toBeGreaterThanOrEqual(900);
    // The timer starts before the worker connects, so measured from the "working" banner the run
    // is a little under 1 s; a worker that took --max-time as milliseconds would exit at once.
    const banner = worker.bannerAt();
    expect(banner, worker.stderr()).toBeDefined();
    expect(exit.at - (banner ?? 0)).toBeGreaterThanOrEqual(500);
    expect(exit.at - (banner ?? 0)).toBeLessThan(10_000);
    expect(worker.stdout()).toBe('');
  });

  it('memory connection: --stop-when-empty exits 0 at once, even with a long --max-time', async () => {
    const w = world();
    const worker = w.spawn(['queue:work', 'memory', '--stop-when-empty', '--max-time', '120']);
    const exit = await Promise.race([
      worker.exited,
      new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 20_000)),
    ]);
    // Before the fix the process sat idle until --max-time ran out (120 s here).
    expect(exit, worker.stderr()).not.toBe('late');
    expect(exit, worker.stderr()).toMatchObject({ code: 0 });
    expect(worker.stderr()).toContain('herald: working memory');
  }, 30_000);
});
