import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Event, Listener } from '../../src/index.js';
import { createTempProject, type TempProject } from '../support/temp-project.js';
import { useProjectWorlds } from './support/redis-project.js';

/**
 * `herald queue:work` in a project whose config sets a `logger`: the CLI yields to it (worker-log.ts
 * says why), so attempts, warnings and the CLI's own start/stop lines arrive as records and the CLI
 * prints none of its lines. Real binary, real Redis (bullmq).
 */

/** A pino-shaped logger that writes NDJSON to stdout, as pino() does: `{ level, ...fields, msg }`. */
const CONFIG = `import { defineConfig } from 'herald';

class JsonLogger {
  write(level: string, fields: object, msg: string): void {
    process.stdout.write(JSON.stringify({ level, ...fields, msg }) + '\\n');
  }
  info(fields: object, msg: string): void { this.write('info', fields, msg); }
  warn(fields: object, msg: string): void { this.write('warn', fields, msg); }
  error(fields: object, msg: string): void { this.write('error', fields, msg); }
}

export default defineConfig({
  discover: ['src/listeners'],
  queue: { default: 'redis', connections: { redis: { driver: 'bullmq', url: process.env.TEST_REDIS_URL, prefix: process.env.TEST_PREFIX } } },
  logger: new JsonLogger(),
});
`;

const LISTENERS = `import { Event, Listener } from 'herald';

@Event('logcli.ping')
export class Ping { constructor(readonly n: number) {} }

@Listener(Ping, { queue: 'emails', name: 'RecordPing' })
export class RecordPing {
  handle(event: Ping): void {
    if (event.n < 0) throw new Error('ping ' + event.n + ' refused');
  }
}
`;

// The project's wire names, for dispatching from this process (it only enqueues).
@Event('logcli.ping')
class Ping {
  constructor(readonly n: number) {}
}

@Listener(Ping, { queue: 'emails', name: 'RecordPing' })
class RecordPing {
  handle(_event: Ping): void {
    throw new Error('only the project runs this listener');
  }
}

describe('herald queue:work with a logger in the config (real binary, real Redis)', () => {
  let project: TempProject;
  beforeAll(() => {
    project = createTempProject('herald-work-logger');
    project.write('herald.config.ts', CONFIG);
    project.write('src/listeners/listeners.ts', LISTENERS);
  });
  afterAll(() => project?.remove());
  const world = useProjectWorlds(() => project, { name: 'work-logger', listeners: [RecordPing] });

  it('stdout is the logger’s NDJSON only: attempt records, a warn record, the start and stop lines', async () => {
    const w = world();
    const app = await w.dispatcher();
    await app.dispatch(new Ping(1));
    await app.dispatch(new Ping(-1));

    // --json and the unused queue: the logger decides the format, and the CLI warning goes to it.
    const result = await w.run(['queue:work', '--stop-when-empty', '--json', '--queue', 'emails,nobody']);
    expect(result.code, result.stderr).toBe(0);
    // Every stdout line is one of the logger's records: no CLI text line, no --json report.
    const records = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const attempts = records.filter((record) => 'outcome' in record);
    expect(attempts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'info',
          queue: 'emails',
          listener: 'RecordPing',
          event: 'logcli.ping',
          attempt: 1,
          outcome: 'completed',
        }),
        expect.objectContaining({
          level: 'error',
          listener: 'RecordPing',
          outcome: 'failed',
          error: 'ping -1 refused',
        }),
      ]),
    );
    expect(attempts).toHaveLength(2);
    const cli = records.filter((record) => record.command === 'queue:work');
    expect(cli.map((record) => [record.level, record.msg])).toEqual([
      ['warn', expect.stringContaining('no listener of this app uses queue "nobody"')],
      ['info', expect.stringMatching(/^working redis \(emails, nobody\), concurrency 1, pid \d+/)],
      ['info', 'stopped after 2 jobs'],
    ]);
    expect(records).toHaveLength(attempts.length + cli.length);
    // The CLI printed nothing of its own on stderr.
    expect(result.stderr).not.toContain('herald:');
  });
});
