import type { Command } from 'commander';
import { parseClassName } from '../generate/class-name.js';
import {
  generatorHelp,
  nameArgument,
  pathsFor,
  requireNameOrTerminal,
  withPrompts,
  writeAndReport,
} from '../generate/generator-io.js';
import { planConfig, planEvent, planListener } from '../generate/plan-files.js';
import { shown } from '../generate/project-paths.js';
import type { PlannedFile } from '../generate/write-plan.js';
import { Output } from '../output.js';

interface MakeEventFlags {
  listener: string[];
  queued?: boolean;
  force?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * `herald make:event <Name> [--listener <Name>]... [--queued] [--force]`: writes the event and,
 * for each `--listener`, a listener bound to it. Every name and file is checked before anything
 * is written, so a refusal leaves the project as it was.
 */
export function registerMakeEvent(program: Command): void {
  program
    .command('make:event')
    .description('create an event class, and listeners bound to it, from the stubs')
    .argument(
      '[name]',
      'event class name, e.g. OrderShipped or Billing/InvoicePaid (asked for on a terminal)',
    )
    .option('-l, --listener <name>', 'also create a listener of this event (repeat for more)', collect, [])
    .option('--queued', 'make the --listener listeners queued')
    .option('-f, --force', 'overwrite files that already exist')
    .addHelpText('after', generatorHelp('OrderShipped', 'src/events'))
    .action((name: string | undefined, flags: MakeEventFlags, command: Command) =>
      withPrompts(async () => {
        if (flags.queued === true && flags.listener.length === 0) {
          command.error('error: --queued makes the --listener listeners queued: pass --listener <name> too', {
            exitCode: 2,
            code: 'commander.invalidArgument',
          });
        }
        requireNameOrTerminal(command, name, 'OrderShipped');
        const paths = await pathsFor(command);
        const eventName = await nameArgument(name, {
          what: 'event',
          folder: shown(paths.events),
          example: 'OrderShipped',
        });
        const listenerNames = flags.listener.map((listener) =>
          parseClassName(listener, { what: 'listener', folder: shown(paths.listeners) }),
        );
        const event = planEvent(paths, eventName);
        const files: PlannedFile[] = [event];
        for (const listener of listenerNames) {
          files.push(
            planListener(paths, listener, {
              event: { className: eventName.className, file: event.path },
              queued: flags.queued === true,
            }),
          );
        }
        const config = planConfig(paths, files);
        if (config !== undefined) files.push(config);
        writeAndReport(files, flags.force === true, new Output());
      }),
    );
}
