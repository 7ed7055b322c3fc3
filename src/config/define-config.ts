import { dirname } from 'node:path';
import type { ModuleImporter } from '../discovery/import-module.js';
import { callerFile } from '../metadata/caller-file.js';
import type { HeraldConfig } from './config-types.js';

/** Where `defineConfig` was called: the default root for `discover` and `paths`. */
export const CONFIG_FILE = Symbol.for('herald.configFile');

/** The importer `loadConfig({ import })` was given: discovery imports through it too. */
export const CONFIG_IMPORTER = Symbol.for('herald.configImporter');

/**
 * Declares herald's configuration with full typing. Relative `discover` folders resolve
 * against the file that calls it (normally `herald.config.ts`), unless `root` is set.
 *
 * @example
 * export default defineConfig({
 *   discover: ['src/events', 'src/listeners'],
 *   queue: { default: 'memory' },
 * });
 */
export function defineConfig<const T extends HeraldConfig>(config: T): T {
  const file = callerFile();
  if (
    file !== undefined &&
    typeof config === 'object' &&
    config !== null &&
    !Object.hasOwn(config, CONFIG_FILE)
  ) {
    Object.defineProperty(config, CONFIG_FILE, { value: file, enumerable: false });
  }
  return config;
}

/** The folder relative paths in a config resolve against. */
export function configRoot(config: HeraldConfig, fallback: string = process.cwd()): string {
  if (config.root !== undefined) return config.root;
  const file = (config as Record<symbol, unknown>)[CONFIG_FILE];
  return typeof file === 'string' ? dirname(file) : fallback;
}

/** The file a config was declared in or loaded from, when known. */
export function configFileOf(config: HeraldConfig): string | undefined {
  const file = (config as Record<symbol, unknown>)[CONFIG_FILE];
  return typeof file === 'string' ? file : undefined;
}

/** The importer a config was loaded with (`loadConfig({ import })`), if any. */
export function configImporterOf(config: HeraldConfig): ModuleImporter | undefined {
  const importer = (config as Record<symbol, unknown>)[CONFIG_IMPORTER];
  return typeof importer === 'function' ? (importer as ModuleImporter) : undefined;
}
