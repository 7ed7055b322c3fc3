import type { Command } from 'commander';
import { loadAppWithConfig } from '../app-with-config.js';
import { CommandRefused } from '../command-refused.js';
import { Output } from '../output.js';
import { findStreamListener, openStreamAdmin } from '../stream-listeners.js';

/**
 * `herald stream:dead <listener> [--json]` lists a listener's dead letters; `stream:retry-dead
 * <listener> <id...|all>` runs them again for that listener only, with fresh tries.
 */
export function registerStreamDead(program: Command): void {
  program
    .command('stream:dead')
    .description('list the dead letters of a listener on a streams connection')
    .argument('<listener>', "the listener's wire name")
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExit codes: 0 ok, 1 unknown listener or Redis unreachable, 2 usage error.')
    .action(async (name: string, flags: { json?: boolean }, command: Command) => {
      const out = new Output();
      const { herald, connections } = await loadAppWithConfig(command);
      try {
        const found = findStreamListener(herald, connections, name);
        const admin = openStreamAdmin(found.connection, connections);
        try {
          const letters = await admin.deadLetters(found.listener);
          if (flags.json === true) {
            out.json(letters);
            return;
          }
          if (letters.length === 0) {
            out.line(`No dead letters for ${name}.`);
            return;
          }
          for (const letter of letters) {
            out.line(
              `${out.paint('bold', letter.entryId)}  ${letter.failedAt}  ${letter.stream}  ${letter.event}  attempts ${letter.attempts}`,
            );
            out.line(`    ${out.paint('red', letter.error)}`);
          }
        } finally {
          await admin.close();
        }
      } finally {
        await herald.close();
      }
    });

  program
    .command('stream:retry-dead')
    .description("run a listener's dead letters again, for that listener only, with fresh tries")
    .argument('<listener>', "the listener's wire name")
    .argument('<ids...>', 'entry ids (as stream:dead shows them), or "all"')
    .addHelpText(
      'after',
      `
Each entry goes back to the listener's own consumer group (no other listener sees it again) and
its workers run it at once with fresh tries; its dead letter is deleted. An entry already trimmed
from the stream (maxLen, maxAge) cannot be run again: it is reported and its dead letter stays.
Exit codes: 0 all retried, 1 an id unknown or trimmed, unknown listener, Redis unreachable; 2 usage error.`,
    )
    .action(async (name: string, ids: string[], _flags: unknown, command: Command) => {
      const out = new Output();
      const { herald, connections } = await loadAppWithConfig(command);
      try {
        const found = findStreamListener(herald, connections, name);
        const admin = openStreamAdmin(found.connection, connections);
        try {
          const wanted = ids.length === 1 && ids[0] === 'all' ? 'all' : ids;
          const outcome = await admin.retryDead(found.listener, wanted);
          for (const id of outcome.retried) out.line(`Retrying ${id}`);
          if (wanted === 'all' && outcome.retried.length === 0 && outcome.trimmed.length === 0)
            out.line(`No dead letters for ${name}.`);
          const problems: string[] = [];
          if (outcome.trimmed.length > 0)
            problems.push(
              `${outcome.trimmed.join(', ')} no longer in the stream (trimmed by maxLen/maxAge): cannot run again; dispatch the event anew, then remove its dead letter by hand`,
            );
          if (outcome.unknown.length > 0)
            problems.push(
              `no dead letter of ${name} with id ${outcome.unknown.join(', ')}: see herald stream:dead ${name}`,
            );
          if (problems.length > 0) throw new CommandRefused(`${problems.join('; ')}.`);
        } finally {
          await admin.close();
        }
      } finally {
        await herald.close();
      }
    });
}
