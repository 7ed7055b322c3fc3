import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { validateConfig } from '../../config/validate-config.js';
import { importModule } from '../../discovery/import-module.js';
import { CommandRefused } from '../command-refused.js';
import { connectionAdmin } from '../connection-admin.js';
import { Output } from '../output.js';

/**
 * `herald queue:restart` (Laravel's): tells every `herald queue:work` process of every Redis
 * connection in the config to finish its active jobs and exit 0, so a process manager starts it
 * again on the new code. The signal is a time stored in Redis under the connection's prefix;
 * workers check it every couple of seconds. Reads only the config: the app is not booted.
 */
export function registerQueueRestart(program: Command): void {
  program
    .command('queue:restart')
    .description('tell every running worker to finish its active jobs and exit (deploys)')
    .addHelpText(
      'after',
      `
Signals the workers of every bullmq connection in the config (a time stored in Redis, under the
connection's prefix); each "herald queue:work" checks it every 2 s, finishes its active jobs and
exits 0. Run it after a deploy with workers under a process manager that restarts them.
memory and sync connections have no separate workers: there is nothing to restart.
Exit codes: 0 signalled (or nothing to restart), 1 Redis unreachable or the config failed to load.`,
    )
    .action(async (_flags: unknown, command: Command) => {
      const out = new Output();
      const { config } = await loadConfig({
        cwd: process.cwd(),
        configPath: command.optsWithGlobals<{ config?: string }>().config,
        importModule,
      });
      const { connections } = validateConfig(config);
      const failures: string[] = [];
      let signalled = 0;
      for (const name of Object.keys(connections)) {
        const found = connectionAdmin(name, connections);
        if (!found.shared) continue;
        try {
          await found.admin.signalRestart();
          signalled++;
          out.line(`Restart signalled on ${name}: its workers finish their active jobs and exit.`);
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        } finally {
          await found.admin.close();
        }
      }
      if (failures.length > 0) throw new CommandRefused(failures.join('\n'));
      if (signalled === 0) {
        out.line(
          'Nothing to restart: no bullmq (Redis) connection in the config. memory and sync queues run inside each app process; restart the app itself.',
        );
      }
    });
}
