import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { HeraldError } from '../errors.js';
import { type ModuleLanguage, onlyLanguage } from './module-language.js';

const MODULE_GLOB = '**/*.{ts,mts,cts,js,mjs,cjs}';
const MODULE_FILE = /\.(?:ts|mts|cts|js|mjs|cjs)$/;
const TYPESCRIPT_FILE = /\.[mc]?ts$/;
const IGNORED = ['**/node_modules/**', '**/*.d.ts', '**/*.d.mts', '**/*.d.cts', '**/*.test.*', '**/*.spec.*'];

/**
 * The module files that `discover` entries name, relative to `root`: a folder means every module
 * under it, a glob is matched as given, a file is taken as is. Sorted, de-duplicated, absolute.
 * `language` (the config's: see `moduleLanguageOf`) keeps a compiled app off its TypeScript
 * sources and a TypeScript app off compiled copies beside them. An entry that names a folder
 * which does not exist is `config_invalid`; one that matches no module file is
 * `discovery_failed` naming the entry and the folder (test/unit/discovery/empty-entry.test.ts).
 */
export async function findModuleFiles(
  entries: readonly string[],
  root: string,
  language?: ModuleLanguage,
): Promise<string[]> {
  const files = new Set<string>();
  for (const entry of entries) {
    const found = isDynamicPattern(entry)
      ? await globFrom(entry, root)
      : await filesOf(resolve(root, entry), entry);
    const kept = onlyLanguage(found, language);
    if (kept.length === 0) throw matchedNothing(entry, root, found, language);
    for (const file of kept) files.add(file);
  }
  return [...files].sort();
}

function lookedIn(entry: string, root: string): string {
  if (!isDynamicPattern(entry)) return resolve(root, entry);
  const parts = entry.split('/');
  const fixed = parts.slice(
    0,
    parts.findIndex((part) => isDynamicPattern(part)),
  );
  return resolve(root, ...fixed);
}

function matchedNothing(
  entry: string,
  root: string,
  found: readonly string[],
  language: ModuleLanguage | undefined,
): HeraldError {
  const folder = lookedIn(entry, root);
  let fix: string;
  if (language === 'js' && found.some((file) => TYPESCRIPT_FILE.test(file))) {
    fix = `it holds only TypeScript files, and a compiled (JavaScript) config never imports those. Name folders in discover (not *.ts globs) so the compiled copies match, and run the app with the compiled config (README "Running in production")`;
  } else if (/\.[mc]?ts\b|\.\{?ts/.test(entry)) {
    fix = `the glob only matches TypeScript files, so a compiled app finds nothing. Name the folder instead (e.g. '${folder === root ? 'src/listeners' : entry.split('/*')[0]}'), which matches .ts and .js files`;
  } else {
    fix = 'fix the entry (it is relative to the config file), add a module there, or remove the entry';
  }
  return new HeraldError(
    'discovery_failed',
    `herald config: discover entry "${entry}" matched no module file (looked in ${folder}): ${fix}.`,
  );
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
