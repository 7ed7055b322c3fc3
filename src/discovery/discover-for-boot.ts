import { resolve } from 'node:path';
import type { HeraldLogger } from '../logging/herald-logger.js';
import { heraldWarning } from '../logging/write-log.js';
import { type DiscoveredClasses, importClasses } from './discover-classes.js';
import { findModuleFiles } from './find-files.js';
import type { ModuleImporter } from './import-module.js';
import { manifestFile, manifestStaleness, readManifest } from './manifest.js';
import { type ModuleLanguage, onlyLanguage } from './module-language.js';

/** How boot discovers: the `discover` entries, their root, and how modules are imported. */
export interface BootDiscovery {
  readonly entries: readonly string[];
  readonly root: string;
  readonly importer: ModuleImporter;
  readonly useManifest: boolean;
  /** The app's module language (its config's), see `onlyLanguage`. */
  readonly language: ModuleLanguage | undefined;
  /** The config's logger, for the stale-manifest warning (else a process warning). */
  readonly logger?: HeraldLogger | undefined;
}

/**
 * Boot's discovery: the manifest written by `herald event:cache` when there is one that still
 * matches the files (only the modules it lists are imported), else a scan of the folders. A stale
 * manifest is reported (the logger's warn, or a process warning), never silently used.
 */
export async function discoverForBoot(options: BootDiscovery): Promise<DiscoveredClasses> {
  const { entries, root, importer, language } = options;
  if (options.useManifest) {
    const manifest = await readManifest(root);
    if (manifest !== undefined) {
      const modules = onlyLanguage(
        manifest.modules.map((module) => resolve(root, module.path)),
        language,
      );
      // With the same entries, every module the manifest lists is one a scan would import too
      // (or a removed file, which fails to load): importing them while the files are checked
      // never evaluates a module boot would not. A stale manifest's import failures are dropped;
      // the scan below reports its own (test/unit/discovery/manifest-overlap.test.ts).
      const early = sameEntries(manifest.discover, entries) ? importClasses(modules, importer) : undefined;
      early?.catch(() => {});
      const stale = await manifestStaleness(manifest, entries, root, language);
      if (stale === undefined) return early ?? importClasses(modules, importer);
      heraldWarning(
        options.logger,
        `The discovery manifest ${manifestFile(root)} is stale (${stale}); scanning the folders instead. Run herald event:cache to refresh it, or herald event:clear to remove it.`,
        'HERALD_MANIFEST_STALE',
      );
    }
  }
  return importClasses(await findModuleFiles(entries, root, language), importer);
}

function sameEntries(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((entry, index) => entry === b[index]);
}
