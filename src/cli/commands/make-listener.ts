import type { Command } from 'commander';
import { type FoundEvent, findEventClasses } from '../generate/find-events.js';
import {
  generatorHelp,
  nameArgument,
  pathsFor,
  requireNameOrTerminal,
  withPrompts,
  writeAndReport,
} from '../generate/generator-io.js';
import { planConfig, planListener } from '../generate/plan-files.js';
import { type ProjectPaths, shown } from '../generate/project-paths.js';
import { ask } from '../generate/prompt.js';
import { resolveEvent } from '../generate/resolve-event.js';
import type { PlannedFile } from '../generate/write-plan.js';
import { Output } from '../output.js';

interface MakeListenerFlags {
  event?: string;
  queued?: boolean;
  force?: boolean;
}

/** Asks which event the listener handles, listing the `@Event` classes of the events folder. */
async function askEvent(paths: ProjectPaths): Promise<FoundEvent | undefined> {
  const known = [...new Set((await findEventClasses(paths.events)).map((found) => found.className))].sort();
  const list = known.length === 0 ? `none in ${shown(paths.events)} yet` : known.join(', ');
  return ask(`Event it handles (known: ${list}; leave empty to choose later): `, (answer) =>
    answer === '' ? undefined : resolveEvent(answer, paths),
  );
}

/**
 * `herald make:listener <Name> [--event <Event>] [--queued] [--force]`: with `--event`, a listener
 * typed to that event (imported by its relative `.js` path); without, a listener that compiles
 * and listens to nothing until its event is filled in.
 */
export function registerMakeListener(program: Command): void {
  program
    .command('make:listener')
    .description('create a listener class from the stubs')
    .argument('[name]', 'listener class name, e.g. SendShipmentNotification (asked for on a terminal)')
    .option(
      '-e, --event <event>',
      'the event it handles, e.g. OrderShipped or Billing/InvoicePaid (an @Event class in the events folder)',
    )
    .option('--queued', 'make it a queued listener (runs on a worker, with retries)')
    .option('-f, --force', 'overwrite the file if it already exists')
    .addHelpText(
      'after',
      `${generatorHelp('SendShipmentNotification', 'src/listeners')}

Without --event the listener listens to the placeholder wire name 'todo:<Name>', which no event
has: it compiles, lints and boots, and never runs until you name its event.`,
    )
    .action((name: string | undefined, flags: MakeListenerFlags, command: Command) =>
      withPrompts(async () => {
        requireNameOrTerminal(command, name, 'SendShipmentNotification');
        const paths = await pathsFor(command);
        const listenerName = await nameArgument(name, {
          what: 'listener',
          folder: shown(paths.listeners),
          example: 'SendShipmentNotification',
        });
        const event =
          flags.event !== undefined
            ? await resolveEvent(flags.event, paths)
            : name === undefined
              ? await askEvent(paths)
              : undefined;
        const files: PlannedFile[] = [
          planListener(paths, listenerName, { event, queued: flags.queued === true }),
        ];
        const config = planConfig(paths, files);
        if (config !== undefined) files.push(config);
        writeAndReport(files, flags.force === true, new Output());
      }),
    );
}
