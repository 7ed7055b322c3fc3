import type { Command } from 'commander';
import type { Herald } from '../../app.js';
import { CommandRefused } from '../command-refused.js';
import { loadApp } from '../load-app.js';
import { monitorRows, overdue, sinceDuration } from '../monitor-table.js';
import { Output } from '../output.js';
import { positiveNumber } from '../parse-number.js';

interface MonitorFlags {
  since: number;
  json?: boolean;
  watch?: boolean;
  maxWait?: number;
  connection?: string;
}

/** How often `--watch` redraws (ms). */
const WATCH_INTERVAL_MS = 2000;

/** Prints the table (or JSON) once; throws CommandRefused (exit 1) naming overdue listeners. */
async function printOnce(herald: Herald, flags: MonitorFlags, out: Output, clear: boolean): Promise<void> {
  const stats = await herald.stats({
    since: flags.since,
    ...(flags.connection === undefined ? {} : { connection: flags.connection }),
  });
  const late = flags.maxWait === undefined ? [] : overdue(stats, flags.maxWait * 1000);
  if (clear) process.stdout.write('\x1b[2J\x1b[H');
  if (flags.json === true) out.json(stats);
  else if (stats.listeners.length === 0) out.line('No queued listeners.');
  else {
    out.line(out.paint('bold', `Last ${Math.round(flags.since / 60_000)} min, ${stats.until.toISOString()}`));
    for (const line of monitorRows(stats)) out.line(line);
    if (stats.workers.length > 0) out.line(`Workers seen in the last minute: ${stats.workers.length}`);
  }
  if (late.length > 0) {
    throw new CommandRefused(
      `oldest waiting job older than ${flags.maxWait}s for: ${late
        .map((each) => `${each.listener} (${Math.round((each.oldestWaitingMs ?? 0) / 1000)}s)`)
        .join(', ')}. Is a worker running for their queues?`,
    );
  }
}

/**
 * `herald queue:monitor`: per queued listener, throughput, failure rate, runtime and wait
 * percentiles over `--since`, and the jobs waiting now; `--max-wait` turns it into a health check.
 */
export function registerQueueMonitor(program: Command): void {
  program
    .command('queue:monitor')
    .description('show each queued listener: jobs/min, failure %, runtime and wait percentiles, backlog')
    .option(
      '--since <duration>',
      'window of the counts: 90s, 15m, 6h, 2d (at most 14d)',
      sinceDuration,
      15 * 60_000,
    )
    .option('--connection <name>', 'only this connection (default: every one with queued listeners)')
    .option('--json', 'print JSON (herald.stats())')
    .option('--watch', 'redraw every 2 s until Ctrl-C (a terminal only: otherwise it prints once)')
    .option('--max-wait <seconds>', "exit 1 when a listener's oldest waiting job is older", positiveNumber)
    .addHelpText(
      'after',
      `
Counts come from what workers recorded (minutes kept 24 h, hours 14 days); windows over 2 h are
read in whole hours. P50/P95 are runtimes, WAIT P95 is dispatch → start of an attempt; on bullmq
WAITING..FAILED are the counts of the listener's queue. OLDEST: age of the oldest waiting job.
Exit codes: 0 ok, 1 --max-wait exceeded or Redis unreachable, 2 usage error.`,
    )
    .action(async (flags: MonitorFlags, command: Command) => {
      const out = new Output();
      if (flags.watch === true && flags.json === true) {
        command.error('error: --watch and --json cannot be used together (--json prints once).', {
          exitCode: 2,
        });
      }
      const { herald } = await loadApp({ configPath: command.optsWithGlobals<{ config?: string }>().config });
      try {
        if (flags.watch !== true) return await printOnce(herald, flags, out, false);
        if (process.stdout.isTTY !== true) {
          process.stderr.write('herald: --watch needs a terminal; printing once.\n');
          return await printOnce(herald, flags, out, false);
        }
        await watch(herald, flags, out);
      } finally {
        await herald.close();
      }
    });
}

/** Redraws until SIGINT; a --max-wait breach is shown under the table, not an exit. */
async function watch(herald: Herald, flags: MonitorFlags, out: Output): Promise<void> {
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  process.once('SIGINT', stop);
  try {
    for (;;) {
      try {
        await printOnce(herald, flags, out, true);
      } catch (error) {
        if (!(error instanceof CommandRefused)) throw error;
        out.line(out.paint('red', error.message));
      }
      let timer: NodeJS.Timeout | undefined;
      const next = new Promise<'next'>((resolve) => {
        timer = setTimeout(() => resolve('next'), WATCH_INTERVAL_MS);
      });
      const why = await Promise.race([next, stopped.then(() => 'stop' as const)]);
      clearTimeout(timer);
      if (why === 'stop') return;
    }
  } finally {
    process.off('SIGINT', stop);
  }
}
