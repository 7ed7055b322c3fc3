import type { Command } from 'commander';
import { loadAppWithConfig } from '../app-with-config.js';
import { Output } from '../output.js';
import { replayFrom } from '../stream-from.js';
import { findStreamListener, openStreamAdmin } from '../stream-listeners.js';

/**
 * `herald stream:replay <listener> --from <start|entry id|ISO time>`: moves that listener's
 * consumer group back, so its workers handle the entries from there again; other listeners'
 * groups do not move.
 */
export function registerStreamReplay(program: Command): void {
  program
    .command('stream:replay')
    .description("re-deliver a listener's stream entries from a point on, to that listener only")
    .argument('<listener>', "the listener's wire name")
    .requiredOption('--from <point>', 'start, an entry id (1700000000000-0) or an ISO time', replayFrom)
    .addHelpText(
      'after',
      `
The listener's group reads again from the point given (that entry included) on every stream and
partition it reads; its workers handle those entries again, once more at least. Entries already
trimmed (maxLen, maxAge) are gone. Other listeners are not affected.
Exit codes: 0 moved, 1 unknown listener or Redis unreachable, 2 usage error.`,
    )
    .action(async (name: string, flags: { from: string }, command: Command) => {
      const out = new Output();
      const { herald, connections } = await loadAppWithConfig(command);
      try {
        const found = findStreamListener(herald, connections, name);
        const admin = openStreamAdmin(found.connection, connections);
        try {
          const moved = await admin.replay(found.listener, flags.from);
          const point = flags.from === 'start' ? 'the start' : flags.from;
          out.line(
            `Replaying ${name} from ${point} (${found.listener.streams.join(', ')}; ${moved} partition${moved === 1 ? '' : 's'}).`,
          );
        } finally {
          await admin.close();
        }
      } finally {
        await herald.close();
      }
    });
}
