import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { importModule, type ModuleImporter } from '../discovery/import-module.js';
import { HeraldError } from '../errors.js';
import type { HeraldConfig } from './config-types.js';
import { CONFIG_FILE, CONFIG_IMPORTER } from './define-config.js';
import { COMPILED_CONFIG_NAMES, compiledEntry, findConfigFile, isJavaScriptFile } from './find-config.js';

export { CONFIG_FILE_NAMES, findConfigFile } from './find-config.js';

/**
 * Imports a module through the caller's own module system: pass `(specifier) => import(specifier)`
 * written in your file. Under vitest that `import()` goes through vitest's module graph, so the
 * classes discovery finds are the very classes your test imported.
 */
export type ImportFunction = (specifier: string) => Promise<unknown>;

/** Where to look for the config and how to import it. */
export interface LoadConfigOptions {
  /** Folder to start looking from; default `process.cwd()`. */
  readonly cwd?: string;
  /** An explicit config file (`--config`); it must exist. Wins over everything else. */
  readonly configPath?: string;
  /**
   * Look for the config from this module's folder upward (pass `import.meta.url`), instead of
   * from the working directory.
   */
  readonly from?: string | URL;
  /**
   * Import the config and every discovered module with this function (see {@link ImportFunction}).
   * Whole-app tests pass `(specifier) => import(specifier)`.
   */
  readonly import?: ImportFunction;
  /** How herald itself imports modules (the CLI's TypeScript-aware loader). */
  readonly importModule?: ModuleImporter;
}

/** A loaded config and the file it came from (undefined when there was none). */
export interface LoadedConfig {
  readonly config: HeraldConfig;
  readonly file: string | undefined;
}

function startFolder(from: string | URL): string {
  const path = from instanceof URL || from.startsWith('file:') ? fileURLToPath(from) : from;
  return existsSync(path) && !/\.[cm]?[jt]s$/.test(path) ? path : dirname(path);
}

/**
 * Which config file a process uses. The rule, in order (README "Running in production"):
 * `configPath` (`--config`); the `HERALD_CONFIG` environment variable; `from`'s folder upward;
 * for a process started from compiled JavaScript (`node dist/src/server.js`), the nearest
 * compiled `herald.config.js` from that entry's folder upward; then the working directory upward.
 */
export function resolveConfigFile(options: LoadConfigOptions = {}): string | undefined {
  const cwd = options.cwd ?? process.cwd();
  if (options.configPath !== undefined) return resolve(cwd, options.configPath);
  const fromEnv = process.env.HERALD_CONFIG;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(cwd, fromEnv);
  if (options.from !== undefined) return findConfigFile(startFolder(options.from));
  const entry = compiledEntry();
  if (entry !== undefined) {
    const compiled = findConfigFile(dirname(entry), COMPILED_CONFIG_NAMES);
    if (compiled !== undefined) return compiled;
  }
  const found = findConfigFile(cwd);
  if (found !== undefined && entry !== undefined && !isJavaScriptFile(found)) {
    process.emitWarning(
      `herald: this process runs compiled JavaScript (${entry}) but the only herald config found is the TypeScript ${found}, so discovery would load your .ts sources beside the compiled classes your code imports. Compile the config with the app (tsc puts herald.config.js next to the compiled code), or set HERALD_CONFIG to the compiled config.`,
      { code: 'HERALD_CONFIG_NOT_COMPILED' },
    );
  }
  return found;
}

function importerOf(options: LoadConfigOptions): ModuleImporter {
  const own = options.import;
  if (own === undefined) return options.importModule ?? importModule;
  return async (file) => (await own(pathToFileURL(file).href)) as Record<string, unknown>;
}

/**
 * Loads the app's config (which file: see {@link resolveConfigFile}). With no file at all the
 * config is empty, which means the embedded `memory` queue and no discovery. TypeScript configs
 * load with decorator metadata (see `importModule`). The importer used (`import`) is kept on the
 * config, so `createHerald(config)` discovers through it too.
 *
 * @example
 * const herald = await createHerald((await loadConfig({ import: (s) => import(s) })).config);
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const file = resolveConfigFile(options);
  if (file === undefined) return { config: {}, file: undefined };
  if (!existsSync(file)) {
    throw new HeraldError(
      'config_not_found',
      `No herald config at ${file}: check the --config path (or HERALD_CONFIG).`,
    );
  }
  const importer = importerOf(options);
  let exports: Record<string, unknown>;
  try {
    exports = await importer(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HeraldError('config_invalid', `herald could not load its config ${file}: ${reason}`, {
      cause: error,
    });
  }
  const config = exports.default ?? exports.config;
  if (typeof config !== 'object' || config === null) {
    throw new HeraldError(
      'config_invalid',
      `${file} must export its config: export default defineConfig({ ... }) (found no default export).`,
    );
  }
  // Relative paths in a loaded config resolve against its own folder, however it was built.
  if (!Object.hasOwn(config, CONFIG_FILE) && (config as HeraldConfig).root === undefined) {
    Object.defineProperty(config, CONFIG_FILE, { value: file, enumerable: false });
  }
  if (options.import !== undefined) {
    Object.defineProperty(config, CONFIG_IMPORTER, {
      value: importer,
      enumerable: false,
      configurable: true,
    });
  }
  return { config: config as HeraldConfig, file };
}
