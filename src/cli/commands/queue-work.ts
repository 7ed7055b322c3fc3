import type { Command } from 'commander';
import type { Herald } from '../../app.js';
import type { ConnectionConfig } from '../../config/config-types.js';
import { descriptorOf } from '../../queue/drivers/descriptors.js';
import type { HeraldWorker } from '../../queue/worker/herald-worker.js';
import { loadAppWithConfig } from '../app-with-config.js';
import { onClosedOutput } from '../closed-output.js';
import { type MetricsServer, serveMetrics } from '../metrics-server.js';
import { Output } from '../output.js';
import { portNumber, positiveInteger, positiveNumber, queueList } from '../parse-number.js';
import { watchRestart } from '../restart-watch.js';
import { WorkerLog } from '../worker-log.js';

interface WorkFlags {
  queue?: string[];
  concurrency: number;
  maxJobs?: number;
  maxTime?: number;
  stopWhenEmpty?: boolean;
  json?: boolean;
  metricsPort?: number;
  metricsHost?: string;
  relay: boolean;
}

/** Where `--metrics-port` listens without `--metrics-host`: this machine only. */
const DEFAULT_METRICS_HOST = '127.0.0.1';

/** How long a worker that failed to start waits for the app to close before the command fails. */
const CLOSE_AFTER_FAILURE_MS = 2000;

/** Warns about `--queue` names no listener of the app uses: a typo works nothing, silently. */
function warnUnusedQueues(
  herald: Herald,
  connection: string,
  queues: readonly string[],
  log: WorkerLog,
): void {
  const used = herald.queuesOf(connection);
  for (const queue of queues) {
    if (used.includes(queue)) continue;
    log.warn(
      `no listener of this app uses queue "${queue}" on connection "${connection}" (they use: ${used.join(', ')}); only jobs routed there by viaQueue() or another app will run. Check the name.`,
    );
  }
}

/**
 * Serves the app's Prometheus series plus Node's process metrics at `/metrics` when
 * `--metrics-port` is given; before the worker starts, so its first attempt is counted and a
 * taken port fails the command before any job is.
 */
async function startMetrics(
  herald: Herald,
  flags: WorkFlags,
  log: WorkerLog,
): Promise<MetricsServer | undefined> {
  if (flags.metricsPort === undefined) return undefined;
  const registry = await herald.metricsRegistry({ processMetrics: true });
  const server = await serveMetrics(registry, flags.metricsHost ?? DEFAULT_METRICS_HOST, flags.metricsPort);
  log.info(`serving Prometheus metrics at ${server.url}`);
  return server;
}

/** Starts watching `herald queue:restart` on a shared (Redis) connection; returns how to stop. */
async function watchRestartOf(
  name: string,
  config: ConnectionConfig | undefined,
  onRestart: () => void,
): Promise<() => Promise<void>> {
  const admin = config === undefined ? undefined : descriptorOf(config).openAdmin?.(name, config);
  if (admin === undefined) return async () => {};
  const stop = await watchRestart(admin, onRestart);
  return async () => {
    stop();
    await admin.close();
  };
}

/**
 * `herald queue:work [connection]`: runs queued listeners until a stop condition, a signal, or
 * `herald queue:restart`. SIGTERM/SIGINT and the restart signal stop taking jobs and let active
 * ones finish (exit 0); a second signal exits at once (exit 1). When the worker cannot start,
 * the error's message is printed and the command exits 1.
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
    .option('--no-relay', "do not run an outbox relay in this worker (the app's outbox, when configured)")
    .option('--metrics-port <port>', 'serve Prometheus metrics at http://<host>:<port>/metrics', portNumber)
    .option(
      '--metrics-host <host>',
      `address the metrics server listens on (default ${DEFAULT_METRICS_HOST})`,
    )
    .addHelpText(
      'after',
      `
Logs one line per attempt on stdout: time, queue, listener, event, job id, attempt, duration,
outcome (--json: one object per line). Start, warnings, signals and errors go to stderr, each
line starting with its time. Stops after active jobs on SIGTERM/SIGINT, on --max-jobs,
--max-time, --stop-when-empty, or when "herald queue:restart" is run (Redis connections check
every 2 s); exit 0. Exit 1 when the worker cannot start, 2 on bad usage.
With an outbox in the config, the worker also relays committed outbox rows (--no-relay: not here),
and --stop-when-empty waits for rows still in the outbox.
--metrics-port serves herald_jobs_total, herald_job_runtime_seconds, herald_job_wait_seconds,
herald_queue_jobs and Node's process metrics for Prometheus, until the worker stops.
With a logger in the config, all of this goes to that logger as records instead (--json unused).`,
    )
    .action(async (connection: string | undefined, flags: WorkFlags, command: Command) => {
      if (flags.metricsHost !== undefined && flags.metricsPort === undefined)
        command.error('error: --metrics-host needs --metrics-port <port>.', { exitCode: 2 });
      const out = new Output();
      const { herald, connections, config } = await loadAppWithConfig(command);
      const log = new WorkerLog(out, flags.json === true, config.logger);
      const name = connection ?? herald.defaultConnection;
      let worker: HeraldWorker;
      let metrics: MetricsServer | undefined;
      try {
        metrics = await startMetrics(herald, flags, log);
        if (flags.queue !== undefined) warnUnusedQueues(herald, name, flags.queue, log);
        // herald.close() stops it with the worker.
        if (flags.relay && herald.outbox !== undefined)
          await herald.outbox.relay({ onError: (e) => log.error(e) });
        worker = await herald.work({
          connection: name,
          ...(flags.queue === undefined ? {} : { queues: flags.queue }),
          concurrency: flags.concurrency,
          ...(flags.maxJobs === undefined ? {} : { maxJobs: flags.maxJobs }),
          ...(flags.maxTime === undefined ? {} : { maxTime: flags.maxTime }),
          stopWhenEmpty: flags.stopWhenEmpty === true,
          ...log.workCallbacks(),
        });
      } catch (error) {
        // The message is printed by the CLI (exit 1); the app must not keep the process alive.
        await metrics?.close();
        await Promise.race([
          herald.close().catch(() => {}),
          new Promise((resolve) => setTimeout(resolve, CLOSE_AFTER_FAILURE_MS).unref()),
        ]);
        throw error;
      }
      const stopWatching = await watchRestartOf(name, connections[name], () => {
        log.info('restart signal received (herald queue:restart), finishing active jobs');
        void worker.close();
      });
      const queues = flags.queue ?? herald.queuesOf(name);
      log.info(
        `working ${name} (${queues.join(', ')}), concurrency ${flags.concurrency}, pid ${process.pid}; Ctrl-C or SIGTERM stops after active jobs`,
      );
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        signals++;
        if (signals > 1) {
          log.info(`second ${signal}, exiting now`);
          process.exit(1);
        }
        log.info(`${signal} received, finishing active jobs`);
        void worker.close();
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
      // Nobody reads the log any more: stop like SIGTERM (active jobs finish) rather than exit mid-job.
      const restoreClosedOutput = onClosedOutput(() => void worker.close());
      try {
        await worker.stopped;
      } catch (error) {
        // The worker stopped on its own (a handler overran its timeout): exit 1 so a process
        // manager restarts it. The overrunning handler may keep the event loop alive, so the
        // exit is forced 3 s on, well after runCli has printed the message.
        setTimeout(() => process.exit(1), 3000).unref();
        await metrics?.close();
        await stopWatching();
        await herald.close();
        throw error;
      }
      await metrics?.close();
      await stopWatching();
      await herald.close();
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      restoreClosedOutput();
      log.info(`stopped after ${worker.processed} job${worker.processed === 1 ? '' : 's'}`);
    });
}
