import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempProject, HERALD_BIN, type RunResult, type TempProject } from '../support/temp-project.js';

/** A compiled app with many events, so `event:list` prints far more than a pipe buffer (64 KiB). */
function manyEvents(count: number): string {
  const lines = ["import { Event } from 'herald';", 'export const events = [];'];
  for (let i = 0; i < count; i++) {
    lines.push(
      `export class SomethingRatherLongHappenedNumber${i} {}`,
      `Event('app.something-rather-long-happened.number-${i}')(SomethingRatherLongHappenedNumber${i});`,
      `events.push(SomethingRatherLongHappenedNumber${i});`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Runs `herald <args>` with stdout on a pipe whose reader goes away: after the first chunk
 * (`head -1`), or before anything was written. Collects stderr and the exit.
 */
function runWithClosingReader(
  project: TempProject,
  args: readonly string[],
  when: 'first-chunk' | 'at-once',
): Promise<RunResult & { chunks: number }> {
  const child = spawn(process.execPath, [HERALD_BIN, ...args], {
    cwd: project.dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let chunks = 0;
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  if (when === 'at-once') child.stdout?.destroy();
  else
    child.stdout?.once('data', () => {
      chunks++;
      child.stdout?.destroy();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`herald ${args.join(' ')} did not exit\nstderr: ${stderr}`));
    }, 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: '', stderr, chunks });
    });
  });
}

describe('a closed stdout (herald event:list | head -1): no stack, exit 0', () => {
  let project: TempProject;

  beforeAll(() => {
    project = createTempProject('herald-closed-output');
    project.write('build/events.js', manyEvents(1500));
    project.write(
      'herald.config.mjs',
      `import { defineConfig } from 'herald';
import { events } from './build/events.js';
export default defineConfig({ events });
`,
    );
  });
  afterAll(() => project.remove());

  it('event:list into a reader that closes early, 20 times: never a stack, always exit 0', async () => {
    const full = await project.herald(['event:list']);
    expect(full.code, full.stderr).toBe(0);
    // Far more than a pipe holds: the command is still writing when the reader goes away.
    expect(full.stdout.length).toBeGreaterThan(2 * 65_536);

    const runs: (RunResult & { chunks: number })[] = [];
    const modes = Array.from({ length: 20 }, (_, i): 'first-chunk' | 'at-once' =>
      i % 2 === 0 ? 'first-chunk' : 'at-once',
    );
    // Four at a time: the machine is shared.
    for (let i = 0; i < modes.length; i += 4) {
      runs.push(
        ...(await Promise.all(
          modes.slice(i, i + 4).map((mode) => runWithClosingReader(project, ['event:list'], mode)),
        )),
      );
    }
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run).toMatchObject({ code: 0, signal: null });
    }
    expect(runs.filter((run) => run.chunks === 1)).toHaveLength(10);
  }, 240_000);

  it('--help into a closed pipe exits 0 without a stack', async () => {
    const run = await runWithClosingReader(project, ['queue:work', '--help'], 'at-once');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('a command whose app leaves a handle open (a pool in the container) still exits when done', async () => {
    const holder = createTempProject('herald-open-handle');
    try {
      holder.write(
        'herald.config.mjs',
        `import { Container } from 'inversify';
import { defineConfig } from 'herald';
export default defineConfig({
  // Like a database pool: an open handle the command knows nothing about.
  container: () => { setInterval(() => {}, 60_000); return new Container(); },
});
`,
      );
      const result = await holder.herald(['event:list'], { timeoutMs: 30_000 });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('No events registered');
    } finally {
      holder.remove();
    }
  }, 40_000);
});
