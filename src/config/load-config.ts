import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { importModule, type ModuleImporter } from '../discovery/import-module.js';
import { HeraldError } from '../errors.js';
import type { HeraldConfig } from './config-types.js';
import { CONFIG_FILE } from './define-config.js';

/** Config file names looked for, in this order, in each folder from the working directory up. */
export const CONFIG_FILE_NAMES = [
  'herald.config.ts',
  'herald.config.mts',
  'herald.config.js',
  'herald.config.mjs',
];

/** Where to look for the config and how to import it. */
export interface LoadConfigOptions {
  /** Folder to start looking from; default `process.cwd()`. */
  readonly cwd?: string;
  /** An explicit config file (`--config`); it must exist. */
  readonly configPath?: string;
  readonly importModule?: ModuleImporter;
}

/** A loaded config and the file it came from (undefined when there was none). */
export interface LoadedConfig {
  readonly config: HeraldConfig;
  readonly file: string | undefined;
}

/** Finds `herald.config.*` in `cwd` or the nearest folder above it. */
export function findConfigFile(cwd: string): string | undefined {
  for (let folder = resolve(cwd); ; folder = dirname(folder)) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(folder, name);
      if (existsSync(candidate)) return candidate;
    }
    if (dirname(folder) === folder) return undefined;
  }
}

/**
 * Loads the app's config: `configPath` when given, else the nearest `herald.config.*`. With no
 * file at all the config is empty, which means the embedded `memory` queue and no discovery.
 * TypeScript configs load with decorator metadata (see `importModule`).
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const file = options.configPath === undefined ? findConfigFile(cwd) : resolve(cwd, options.configPath);
  if (file === undefined) return { config: {}, file: undefined };
  if (!existsSync(file)) {
    throw new HeraldError('config_not_found', `No herald config at ${file}: check the --config path.`);
  }
  let exports: Record<string, unknown>;
  try {
    exports = await (options.importModule ?? importModule)(file);
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
  return { config: config as HeraldConfig, file };
}
