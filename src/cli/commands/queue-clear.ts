import type { Command } from 'commander';
import type { QueueJobCount } from '../../queue/queue-admin.js';
import { loadAppWithConfig } from '../app-with-config.js';
import { CommandRefused } from '../command-refused.js';
import { canConfirm, confirm } from '../confirm.js';
import { connectionAdmin } from '../connection-admin.js';
import { Output } from '../output.js';
import { queueList } from '../parse-number.js';

interface ClearFlags {
  queue?: string[];
  force?: boolean;
}

function total(counts: readonly QueueJobCount[]): number {
  return counts.reduce((sum, count) => sum + count.jobs, 0);
}

function perQueue(counts: readonly QueueJobCount[]): string {
  return counts.map((count) => `${count.queue} ${count.jobs}`).join(', ');
}

function jobs(n: number): string {
  return `${n} job${n === 1 ? '' : 's'}`;
}

/**
 * `herald queue:clear [connection] [--queue a,b] [--force]` (Laravel's `queue:clear`): deletes the
 * jobs that have not started (waiting, prioritised, delayed) and says how many; active and failed
 * jobs stay. Asks first on a terminal; elsewhere it needs `--force`. memory and sync connections
 * are refused: their jobs live inside the process that dispatched them.
 */
export function registerQueueClear(program: Command): void {
  program
    .command('queue:clear')
    .description('delete the waiting and delayed jobs of a connection (asks first; --force in scripts)')
    .argument('[connection]', 'queue connection from the config (default: queue.default)')
    .option(
      '-q, --queue <names>',
      'queues to clear, comma separated (default: all the listeners use)',
      queueList,
    )
    .option('--force', 'do not ask (needed when not on a terminal)')
    .addHelpText(
      'after',
      `
Deletes waiting, prioritised and delayed jobs (with their unique-job locks); active jobs finish,
failed jobs stay (see queue:flush). Prints how many were deleted per queue.
Exit codes: 0 cleared (or nothing to clear), 1 refused or Redis unreachable, 2 usage error.`,
    )
    .action(async (connection: string | undefined, flags: ClearFlags, command: Command) => {
      const out = new Output();
      const { herald, connections } = await loadAppWithConfig(command);
      const name = connection ?? herald.defaultConnection;
      const found = connectionAdmin(name, connections);
      try {
        if (!found.shared) {
          throw new CommandRefused(
            `The queue connection "${name}" (driver ${found.driver}) keeps its jobs inside the process that dispatched them: there is nothing another process can clear. Stop that process to drop its jobs, or use a bullmq connection.`,
          );
        }
        const queues = flags.queue ?? herald.queuesOf(name);
        if (flags.force !== true) {
          if (!canConfirm()) {
            throw new CommandRefused(
              `queue:clear deletes jobs and asks first, but this is not a terminal: pass --force to clear ${name} (${queues.join(', ')}).`,
            );
          }
          const pending = await found.admin.pending(queues);
          if (total(pending) === 0) {
            out.line(`No waiting or delayed jobs on ${name} (${queues.join(', ')}).`);
            return;
          }
          const yes = await confirm(
            `Delete ${jobs(total(pending))} not yet started from ${name} (${perQueue(pending)})?`,
          );
          if (!yes) throw new CommandRefused('Cancelled: no job was deleted.');
        }
        const cleared = await found.admin.clear(queues);
        out.line(`Deleted ${jobs(total(cleared))} from ${name} (${perQueue(cleared)}).`);
      } finally {
        if (found.shared) await found.admin.close();
        await herald.close();
      }
    });
}
