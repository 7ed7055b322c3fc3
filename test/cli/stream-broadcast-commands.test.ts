import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempProject, type TempProject } from '../support/temp-project.js';

/**
 * `stream:replay`, `stream:dead` and `stream:retry-dead` on a broadcast listener: it reads the log
 * with no consumer group, so the binary refuses (exit 1) with what to do, before touching Redis.
 */

const LISTENERS = `
import { Event, Listener } from 'herald';

@Event('cache.changed', { stream: 'changes' })
export class CacheChanged { constructor(readonly id: string) {} }

@Listener(CacheChanged, { connection: 'log', name: 'Invalidate', broadcast: true })
export class Invalidate { handle(): void {} }
`;

const CONFIG = `import { defineConfig } from 'herald';
export default defineConfig({
  discover: ['src/listeners'],
  queue: { default: 'log', connections: { log: { driver: 'streams', url: 'redis://127.0.0.1:1' } } },
});
`;

describe('herald stream:* on a broadcast listener (real binary)', () => {
  let project: TempProject;
  beforeAll(() => {
    project = createTempProject('herald-stream-broadcast');
    project.write('src/listeners/changes.ts', LISTENERS);
    project.write('herald.config.ts', CONFIG);
  });
  afterAll(() => project?.remove());

  it.each([
    [['stream:replay', 'Invalidate', '--from', 'start']],
    [['stream:dead', 'Invalidate']],
    [['stream:retry-dead', 'Invalidate', 'all']],
  ])('%j is refused: no group, no position, no dead letters', async (args) => {
    const result = await project.herald(args, { timeoutMs: 30_000 });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('"Invalidate" is a broadcast listener (broadcast: true)');
    expect(result.stderr).toContain('Remove broadcast: true to give it a group');
  });
});
