import type { Command } from 'commander';
import {
  generatorHelp,
  nameArgument,
  pathsFor,
  requireNameOrTerminal,
  withPrompts,
  writeAndReport,
} from '../generate/generator-io.js';
import { planConfig, planSubscriber } from '../generate/plan-files.js';
import { shown } from '../generate/project-paths.js';
import type { PlannedFile } from '../generate/write-plan.js';
import { Output } from '../output.js';

/** `herald make:subscriber <Name> [--force]`: a subscriber class whose `@On` methods are listeners. */
export function registerMakeSubscriber(program: Command): void {
  program
    .command('make:subscriber')
    .description('create an event subscriber class (several listeners in one class) from the stubs')
    .argument('[name]', 'subscriber class name, e.g. UserEventSubscriber (asked for on a terminal)')
    .option('-f, --force', 'overwrite the file if it already exists')
    .addHelpText(
      'after',
      `${generatorHelp('UserEventSubscriber', 'src/subscribers')}

The subscriber starts with one placeholder @On method on the wire name 'todo:<Name>', which no
event has: replace it with your events.`,
    )
    .action((name: string | undefined, flags: { force?: boolean }, command: Command) =>
      withPrompts(async () => {
        requireNameOrTerminal(command, name, 'UserEventSubscriber');
        const paths = await pathsFor(command);
        const subscriberName = await nameArgument(name, {
          what: 'subscriber',
          folder: shown(paths.subscribers),
          example: 'UserEventSubscriber',
        });
        const files: PlannedFile[] = [planSubscriber(paths, subscriberName)];
        const config = planConfig(paths, files);
        if (config !== undefined) files.push(config);
        writeAndReport(files, flags.force === true, new Output());
      }),
    );
}
