import { join, relative, resolve } from 'node:path';
import { configRoot } from '../../config/define-config.js';
import { loadConfig } from '../../config/load-config.js';
import { validateConfig } from '../../config/validate-config.js';
import { importModule } from '../../discovery/import-module.js';

/** The folders generators write to, resolved for one project. */
export interface ProjectPaths {
  /** The folder relative paths resolve against: the config file's folder, or the cwd. */
  readonly root: string;
  /** The config file, or undefined when the project has none yet. */
  readonly configFile: string | undefined;
  readonly events: string;
  readonly listeners: string;
  readonly subscribers: string;
  /** Where `stub:publish` writes and generators look for published stubs: `<root>/stubs`. */
  readonly stubs: string;
}

/** The config's `paths` defaults. */
export const DEFAULT_PATHS = {
  events: 'src/events',
  listeners: 'src/listeners',
  subscribers: 'src/subscribers',
} as const;

/**
 * Finds the project's config (`--config`, else the nearest `herald.config.*`) and resolves its
 * `paths` against the config's folder, or against `cwd` when there is no config. The config is
 * imported and validated (its `paths` must be read) but the app is not booted: no discovery, no
 * container, no queue connections.
 */
export async function projectPaths(cwd: string, configPath: string | undefined): Promise<ProjectPaths> {
  const loaded = await loadConfig({ cwd, importModule, ...(configPath === undefined ? {} : { configPath }) });
  validateConfig(loaded.config);
  const root = loaded.file === undefined ? resolve(cwd) : configRoot(loaded.config, cwd);
  const paths = loaded.config.paths ?? {};
  return {
    root,
    configFile: loaded.file,
    events: resolve(root, paths.events ?? DEFAULT_PATHS.events),
    listeners: resolve(root, paths.listeners ?? DEFAULT_PATHS.listeners),
    subscribers: resolve(root, paths.subscribers ?? DEFAULT_PATHS.subscribers),
    stubs: join(root, 'stubs'),
  };
}

/** A path as messages show it: relative to the working directory, `/`-separated. */
export function shown(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  return (rel === '' ? '.' : rel).split('\\').join('/');
}
