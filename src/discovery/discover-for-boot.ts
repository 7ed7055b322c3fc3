import { resolve } from 'node:path';
import { type DiscoveredClasses, discoverClasses, importClasses } from './discover-classes.js';
import type { ModuleImporter } from './import-module.js';
import { manifestFile, manifestStaleness, readManifest } from './manifest.js';

/**
 * Boot's discovery: the manifest written by `herald event:cache` when there is one that still
 * matches the files (only the modules it lists are imported), else a scan of the folders. A stale
 * manifest is reported with a process warning, never silently used.
 */
export async function discoverForBoot(
  entries: readonly string[],
  root: string,
  importer: ModuleImporter,
  useManifest: boolean,
): Promise<DiscoveredClasses> {
  if (useManifest) {
    const manifest = await readManifest(root);
    if (manifest !== undefined) {
      const stale = await manifestStaleness(manifest, entries, root);
      if (stale === undefined) {
        return importClasses(
          manifest.modules.map((module) => resolve(root, module.path)),
          importer,
        );
      }
      process.emitWarning(
        `The discovery manifest ${manifestFile(root)} is stale (${stale}); scanning the folders instead. Run herald event:cache to refresh it, or herald event:clear to remove it.`,
        { code: 'HERALD_MANIFEST_STALE' },
      );
    }
  }
  return discoverClasses(entries, root, importer);
}
