import { relative } from 'node:path';
import type { Command } from 'commander';
import { configRoot } from '../../config/define-config.js';
import { loadConfig } from '../../config/load-config.js';
import { createHerald } from '../../create-herald.js';
import { discoverClasses } from '../../discovery/discover-classes.js';
import { importModule } from '../../discovery/import-module.js';
import { buildManifest, manifestFile, removeManifest, writeManifest } from '../../discovery/manifest.js';
import { HeraldError } from '../../errors.js';
import { Output } from '../output.js';

async function projectRoot(command: Command) {
  const cwd = process.cwd();
  const { config, file } = await loadConfig({
    cwd,
    configPath: command.optsWithGlobals<{ config?: string }>().config,
    importModule,
  });
  return { config, file, root: configRoot(config, cwd), cwd };
}

/**
 * `event:cache` scans the `discover` folders once and writes `.herald/manifest.json`, which boot
 * then uses instead of scanning (it imports only the modules listed, after checking the files
 * still match); `event:clear` deletes it.
 */
export function registerEventCache(program: Command): void {
  program
    .command('event:cache')
    .description('write the discovery manifest (.herald/manifest.json) that boot uses instead of scanning')
    .action(async (_flags: unknown, command: Command) => {
      const out = new Output();
      const { config, root, cwd } = await projectRoot(command);
      if (config.discover === undefined || config.discover.length === 0) {
        throw new HeraldError('config_invalid', 'Nothing to cache: the config has no "discover" entries.');
      }
      const discovered = await discoverClasses(config.discover, root, importModule);
      // Boot once from the scan, so a manifest is only written for an app that boots.
      const herald = await createHerald(config, { cwd, importModule, manifest: false });
      await herald.close();
      const file = await writeManifest(root, await buildManifest(config.discover, root, discovered));
      out.line(
        `Wrote ${relative(cwd, file) || file}: ${discovered.heraldFiles.length} modules, ${discovered.events.length} events, ${discovered.listeners.length} listeners and subscribers.`,
      );
    });

  program
    .command('event:clear')
    .description('delete the discovery manifest; boot scans the folders again')
    .action(async (_flags: unknown, command: Command) => {
      const out = new Output();
      const { root, cwd } = await projectRoot(command);
      const removed = await removeManifest(root);
      out.line(
        removed ? `Deleted ${relative(cwd, manifestFile(root))}.` : 'No discovery manifest to delete.',
      );
    });
}
