import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { HeraldError } from '../errors.js';

const MODULE_GLOB = '**/*.{ts,mts,cts,js,mjs,cjs}';
const MODULE_FILE = /\.(?:ts|mts|cts|js|mjs|cjs)$/;
const IGNORED = ['**/node_modules/**', '**/*.d.ts', '**/*.d.mts', '**/*.d.cts', '**/*.test.*', '**/*.spec.*'];

/**
 * The module files that `discover` entries name, relative to `root`: a folder means every module
 * under it, a glob is matched as given, a file is taken as is. Sorted, de-duplicated, absolute.
 */
export async function findModuleFiles(entries: readonly string[], root: string): Promise<string[]> {
  const files = new Set<string>();
  for (const entry of entries) {
    const found = isDynamicPattern(entry)
      ? await globFrom(entry, root)
      : await filesOf(resolve(root, entry), entry);
    for (const file of found) files.add(file);
  }
  return [...files].sort();
}

async function globFrom(pattern: string, root: string): Promise<string[]> {
  const found = await glob(pattern, {
    cwd: root,
    absolute: true,
    ignore: IGNORED,
    onlyFiles: true,
    expandDirectories: false,
  });
  // A glob like `src/**/*` also matches READMEs, JSON and assets; importing those failed boot with
  // discovery_failed. Only modules are discovered, as for a folder entry.
  return found.filter((file) => MODULE_FILE.test(file));
}

async function filesOf(path: string, entry: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) {
    throw new HeraldError(
      'config_invalid',
      `herald config: discover entry "${entry}" does not exist (looked at ${path}). Fix the path; it is relative to the config file${isAbsolute(entry) ? '' : "'s folder"}.`,
    );
  }
  if (info.isFile()) return [path];
  return glob(MODULE_GLOB, { cwd: path, absolute: true, ignore: IGNORED, onlyFiles: true });
}
