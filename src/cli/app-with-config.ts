import type { Command } from 'commander';
import type { Herald } from '../app.js';
import type { ConnectionConfig, HeraldConfig } from '../config/config-types.js';
import { loadConfig } from '../config/load-config.js';
import { validateConfig } from '../config/validate-config.js';
import { importModule } from '../discovery/import-module.js';
import { loadApp } from './load-app.js';

/** A booted app with the config it was booted from, for commands that need both. */
export interface AppWithConfig {
  readonly herald: Herald;
  /** The config object (`{}` when the project has no config file). */
  readonly config: HeraldConfig;
  /** Every queue connection, defaults filled in, by name. */
  readonly connections: Readonly<Record<string, ConnectionConfig>>;
  readonly cwd: string;
}

/**
 * Boots the app of the command's `--config` and reads that config again (served from the module
 * cache) for what the app does not expose: the connections' settings and the root folder.
 */
export async function loadAppWithConfig(command: Command): Promise<AppWithConfig> {
  const cwd = process.cwd();
  const { herald, configFile } = await loadApp({
    configPath: command.optsWithGlobals<{ config?: string }>().config,
  });
  try {
    const config: HeraldConfig =
      configFile === undefined
        ? {}
        : (await loadConfig({ cwd, configPath: configFile, importModule })).config;
    return { herald, config, connections: validateConfig(config).connections, cwd };
  } catch (error) {
    await herald.close();
    throw error;
  }
}
