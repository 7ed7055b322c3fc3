import type { Command } from 'commander';
import type { StreamPartitionState } from '../../queue/stream-admin.js';
import { loadAppWithConfig } from '../app-with-config.js';
import { Output } from '../output.js';
import { openStreamAdmin, streamsConnections } from '../stream-listeners.js';
import { shortDuration, table } from '../stream-table.js';

/**
 * `herald stream:list [--json]`: for every streams connection, every stream (partition) the app's
 * listeners read, its length and each consumer group's lag, pending count, oldest pending age and
 * dead letters.
 */
export function registerStreamList(program: Command): void {
  program
    .command('stream:list')
    .description(
      "show the streams of every streams connection: length, and each group's lag, pending and dead letters",
    )
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
One row per (stream partition, consumer group); a group is a listener (its wire name).
  lag      entries appended that the group has not been handed yet
  pending  entries handed to the group and not yet acknowledged (running, waiting to retry, orphaned)
  oldest   age of the oldest pending entry (since it was appended)
  dead     entries the listener gave up on (see stream:dead)
Exit codes: 0 ok, 1 Redis unreachable, 2 usage error.`,
    )
    .action(async (flags: { json?: boolean }, command: Command) => {
      const out = new Output();
      const { herald, connections } = await loadAppWithConfig(command);
      try {
        const report: { connection: string; streams: StreamPartitionState[] }[] = [];
        for (const connection of streamsConnections(herald, connections)) {
          const admin = openStreamAdmin(connection.name, connections);
          try {
            const streams = [...new Set(connection.listeners.flatMap((listener) => listener.streams))];
            report.push({ connection: connection.name, streams: await admin.describe(streams) });
          } finally {
            await admin.close();
          }
        }
        if (flags.json === true) {
          out.json(report);
          return;
        }
        if (report.length === 0) {
          out.line('No streams connection in the config.');
          return;
        }
        for (const { connection, streams } of report) {
          out.line(out.paint('bold', `${connection} (streams)`));
          if (streams.length === 0) {
            out.line('  No listener reads a stream on this connection.');
            continue;
          }
          const rows = [['STREAM', 'PARTITION', 'LENGTH', 'GROUP', 'LAG', 'PENDING', 'OLDEST', 'DEAD']];
          for (const state of streams) {
            const head = [state.stream, String(state.partition), String(state.length)];
            if (state.groups.length === 0) rows.push([...head, '(no group yet)', '-', '-', '-', '-']);
            for (const group of state.groups) {
              rows.push([
                ...head,
                group.group,
                group.lag === null ? '?' : String(group.lag),
                String(group.pending),
                group.oldestPendingMs === null ? '-' : shortDuration(group.oldestPendingMs),
                String(group.dead),
              ]);
            }
          }
          for (const line of table(rows)) out.line(`  ${line}`);
        }
      } finally {
        await herald.close();
      }
    });
}
