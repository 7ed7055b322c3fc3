import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerDashboard } from './commands/dashboard.js';
import { registerEventCache } from './commands/event-cache.js';
import { registerEventList } from './commands/event-list.js';
import { registerMakeEvent } from './commands/make-event.js';
import { registerMakeListener } from './commands/make-listener.js';
import { registerMakeSubscriber } from './commands/make-subscriber.js';
import { registerOutboxCommands } from './commands/outbox.js';
import { registerQueueClear } from './commands/queue-clear.js';
import { registerFailedJobCommands } from './commands/queue-failed.js';
import { registerQueueMonitor } from './commands/queue-monitor.js';
import { registerQueueRestart } from './commands/queue-restart.js';
import { registerQueueWork } from './commands/queue-work.js';
import { registerStreamDead } from './commands/stream-dead.js';
import { registerStreamList } from './commands/stream-list.js';
import { registerStreamReplay } from './commands/stream-replay.js';
import { registerStubPublish } from './commands/stub-publish.js';

/** Exit codes of every herald command: 0 ok, 1 the command failed, 2 it was used wrongly. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * The `herald` command line: global options and the commands registered on it. Commands throw
 * on failure; {@link runCli} turns that into an exit code.
 */
export function buildProgram(): Command {
  const program = new Command('herald')
    .description('Laravel-style events and queued listeners for Node.js')
    .version(packageVersion(), '-v, --version', 'print the herald version')
    .option(
      '-c, --config <path>',
      'path to herald.config.(ts|js|mjs); default: found from the working directory',
    )
    .showHelpAfterError('(run herald --help for usage)')
    .exitOverride();
  registerQueueWork(program);
  registerEventCache(program);
  registerFailedJobCommands(program);
  registerQueueClear(program);
  registerQueueRestart(program);
  registerQueueMonitor(program);
  registerMakeEvent(program);
  registerMakeListener(program);
  registerMakeSubscriber(program);
  registerStubPublish(program);
  registerEventList(program);
  registerStreamList(program);
  registerStreamDead(program);
  registerStreamReplay(program);
  registerDashboard(program);
  registerOutboxCommands(program);
  return program;
}

/**
 * Runs the CLI with `argv` (without node and the script) and returns the exit code instead of
 * exiting, so tests and embedders can call it.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through exitOverride too, with exit code 0.
      if (error.exitCode === 0) return EXIT_OK;
      return EXIT_USAGE;
    }
    process.stderr.write(`herald: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILED;
  }
}
