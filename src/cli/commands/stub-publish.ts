import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { pathsFor } from '../generate/generator-io.js';
import { shown } from '../generate/project-paths.js';
import { PACKAGE_STUBS_DIR, STUB_NAMES, stubFileName } from '../generate/stubs.js';
import { Output } from '../output.js';

/**
 * `herald stub:publish [--force]`: copies herald's stubs into the project's `stubs/` folder, where
 * the generators find and prefer them. Stubs already published are kept (they may be customised)
 * unless `--force`, so publishing again after an upgrade only adds the new ones.
 */
export function registerStubPublish(program: Command): void {
  program
    .command('stub:publish')
    .description("copy herald's stubs into the project's stubs/ folder; the make:* commands then use those")
    .option('-f, --force', 'overwrite stubs that were already published')
    .addHelpText(
      'after',
      `
The stubs/ folder is next to herald.config.ts (or in the working directory when there is none).
Placeholders use one syntax, {{ name }}: {{ class }}, {{ wireName }} (event.stub),
{{ event }} and {{ eventImport }} (listener.typed*.stub). A stub that uses a placeholder it does
not have makes the generator fail with the stub's name; delete a stub to use herald's again.

Exit codes: 0 published (existing stubs are kept without --force), 1 failed (e.g. invalid
config), 2 usage error.`,
    )
    .action(async (flags: { force?: boolean }, command: Command) => {
      const out = new Output();
      const paths = await pathsFor(command);
      mkdirSync(paths.stubs, { recursive: true });
      for (const name of STUB_NAMES) {
        const target = join(paths.stubs, stubFileName(name));
        const existed = existsSync(target);
        if (existed && flags.force !== true) {
          out.line(`${out.paint('dim', 'Kept')} ${shown(target)} (already published; --force overwrites it)`);
          continue;
        }
        copyFileSync(join(PACKAGE_STUBS_DIR, stubFileName(name)), target);
        out.line(`${out.paint('green', existed ? 'Overwrote' : 'Published')} ${shown(target)}`);
      }
    });
}
