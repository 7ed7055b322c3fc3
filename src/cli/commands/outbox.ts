import type { Command } from 'commander';
import type { Herald } from '../../app.js';
import { HeraldError } from '../../errors.js';
import type { HeraldOutbox } from '../../outbox/herald-outbox.js';
import { loadAppWithConfig } from '../app-with-config.js';
import { Output } from '../output.js';
import { WorkerLog } from '../worker-log.js';

/** The app's outbox, or the error saying how to configure one. */
function outboxOf(herald: Herald): HeraldOutbox {
  if (herald.outbox !== undefined) return herald.outbox;
  throw new HeraldError(
    'config_invalid',
    'herald config has no "outbox": add outbox: { url: process.env.DATABASE_URL } (or pool) to herald.config.',
  );
}

/** Runs `fn` with the command's app and closes the app after. */
async function withOutbox(
  command: Command,
  fn: (outbox: HeraldOutbox, herald: Herald) => Promise<void>,
): Promise<void> {
  const { herald } = await loadAppWithConfig(command);
  try {
    await fn(outboxOf(herald), herald);
  } finally {
    await herald.close();
  }
}

/**
 * `herald outbox:install [--sql]`, `herald outbox:relay` and `herald outbox:status [--json]`: the
 * transactional outbox's table, its relay as a process of its own, and what waits in it.
 */
export function registerOutboxCommands(program: Command): void {
  program
    .command('outbox:install')
    .description('create the outbox table when missing (or print its SQL for a migration)')
    .option('--sql', 'print the SQL instead of running it')
    .action(async (flags: { sql?: boolean }, command: Command) => {
      const out = new Output();
      await withOutbox(command, async (outbox) => {
        if (flags.sql === true) {
          process.stdout.write(outbox.installSql());
          return;
        }
        await outbox.install();
        out.line(`outbox table ${outbox.table} is ready`);
      });
    });

  program
    .command('outbox:status')
    .description('show how many outbox rows wait for a relay and the age of the oldest')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }, command: Command) => {
      const out = new Output();
      await withOutbox(command, async (outbox) => {
        const status = await outbox.status();
        if (flags.json === true) out.json(status);
        else
          out.line(
            `${status.table}: ${status.waiting} row${status.waiting === 1 ? '' : 's'} waiting${status.oldestAgeSeconds === undefined ? '' : `, oldest ${status.oldestAgeSeconds.toFixed(1)} s`}`,
          );
      });
    });

  program
    .command('outbox:relay')
    .description('move committed outbox rows to their queues until SIGTERM/SIGINT')
    .option('--json', 'log one JSON object per batch')
    .addHelpText(
      'after',
      `
Logs one line per batch on stdout (rows moved); start, errors and stop go to stderr. Woken by
LISTEN/NOTIFY at each commit, polling every outbox.pollInterval ms as the fallback. Several relays
may run side by side. SIGTERM/SIGINT finish the batch in flight, then exit 0.`,
    )
    .action(async (flags: { json?: boolean }, command: Command) => {
      const out = new Output();
      const { herald, config } = await loadAppWithConfig(command);
      const log = new WorkerLog(out, flags.json === true, config.logger);
      try {
        const outbox = outboxOf(herald);
        const relay = await outbox.relay({
          onError: (error) => log.error(error),
          onRelayed: (rows) =>
            flags.json === true
              ? process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), relayed: rows })}\n`)
              : out.line(`${new Date().toISOString()} relayed ${rows} row${rows === 1 ? '' : 's'}`),
        });
        log.info(`relaying outbox ${outbox.table}, pid ${process.pid}; Ctrl-C or SIGTERM stops`);
        await new Promise<void>((resolve) => {
          const stop = (signal: NodeJS.Signals) => {
            log.info(`${signal} received, finishing the batch in flight`);
            process.off('SIGTERM', stop);
            process.off('SIGINT', stop);
            resolve();
          };
          process.on('SIGTERM', stop);
          process.on('SIGINT', stop);
        });
        await relay.close();
        log.info(`stopped after ${relay.relayed} row${relay.relayed === 1 ? '' : 's'}`);
      } finally {
        await herald.close();
      }
    });
}
