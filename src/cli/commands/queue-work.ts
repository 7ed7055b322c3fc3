import type { Command } from 'commander';
import type { JobReport } from '../../queue/work-options.js';
import { loadApp } from '../load-app.js';
import { Output } from '../output.js';
import { positiveInteger, positiveNumber, queueList } from '../parse-number.js';

interface WorkFlags {
  queue?: string[];
  concurrency?: number;
  maxJobs?: number;
  maxTime?: number;
  stopWhenEmpty?: boolean;
  json?: boolean;
}

const recentErrors = new Map<string, number>();

/** Logs a worker error to stderr, once per distinct message per 10 s (outages repeat them). */
function reportError(error: Error, out: Output): void {
  const now = Date.now();
  const last = recentErrors.get(error.message);
  if (last !== undefined && now - last < 10_000) return;
  // Bounded: a worker that runs for weeks must not keep every distinct message it ever saw.
  if (recentErrors.size >= 100) recentErrors.clear();
  recentErrors.set(error.message, now);
  out.error(`herald: worker error: ${error.message}`);
}

function formatReport(report: JobReport, out: Output): string {
  const outcome =
    report.outcome === 'completed'
      ? out.paint('green', 'completed')
      : report.outcome === 'retrying'
        ? out.paint('yellow', 'retrying')
        : out.paint('red', 'failed');
  const error = report.error === undefined ? '' : ` ${out.paint('dim', report.error)}`;
  return `${report.time.toISOString()} ${report.queue} ${report.listener} ${report.event} attempt ${report.attempt} ${report.durationMs}ms ${outcome}${error}`;
}

/**
 * `herald queue:work [connection]`: runs queued listeners until a stop condition or a signal.
 * SIGTERM/SIGINT stop taking jobs and let active ones finish (exit 0); a second signal exits at
 * once (exit 1).
 */
export function registerQueueWork(program: Command): void {
  program
    .command('queue:work')
    .description('run queued listeners from a connection until stopped')
    .argument('[connection]', 'queue connection from the config (default: queue.default)')
    .option(
      '-q, --queue <names>',
      'queues to work, comma separated (default: all the listeners use)',
      queueList,
    )
    .option('--concurrency <n>', 'jobs run at once per queue', positiveInteger, 1)
    .option('--max-jobs <n>', 'stop after this many jobs', positiveInteger)
    .option('--max-time <seconds>', 'stop after this many seconds', positiveNumber)
    .option('--stop-when-empty', 'stop once the queues are empty')
    .option('--json', 'log one JSON object per job')
    .action(async (connection: string | undefined, flags: WorkFlags, command: Command) => {
      const out = new Output();
      const { herald } = await loadApp({ configPath: command.optsWithGlobals<{ config?: string }>().config });
      const name = connection ?? herald.defaultConnection;
      const worker = await herald
        .work({
          connection: name,
          ...(flags.queue === undefined ? {} : { queues: flags.queue }),
          ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
          ...(flags.maxJobs === undefined ? {} : { maxJobs: flags.maxJobs }),
          ...(flags.maxTime === undefined ? {} : { maxTime: flags.maxTime }),
          stopWhenEmpty: flags.stopWhenEmpty === true,
          onError: (error) => reportError(error, out),
          onJob: (report) =>
            flags.json === true ? out.line(JSON.stringify(report)) : out.line(formatReport(report, out)),
        })
        .catch(async (error: unknown) => {
          // A worker that never reached Redis (queue_unavailable): exit 1 with the message.
          await herald.close();
          throw error;
        });
      const queues = flags.queue ?? herald.queuesOf(name);
      if (flags.json !== true)
        out.error(
          `herald: working ${name} (${queues.join(', ')}); Ctrl-C or SIGTERM stops after active jobs`,
        );
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        signals++;
        if (signals > 1) {
          out.error(`herald: second ${signal}, exiting now`);
          process.exit(1);
        }
        out.error(`herald: ${signal} received, finishing active jobs`);
        void worker.close();
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
      try {
        await worker.stopped;
      } catch (error) {
        // The worker stopped on its own (a handler overran its timeout): exit 1 so a process
        // manager restarts it. The overrunning handler may keep the event loop alive, so the
        // exit is forced 3 s on, well after runCli has printed the message.
        setTimeout(() => process.exit(1), 3000).unref();
        await herald.close();
        throw error;
      }
      await herald.close();
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    });
}
