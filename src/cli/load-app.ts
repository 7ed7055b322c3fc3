import type { Herald } from '../app.js';
import { loadConfig } from '../config/load-config.js';
import { createHerald } from '../create-herald.js';
import { importModule } from '../discovery/import-module.js';

/** Where a command finds the user's app. */
export interface AppLocation {
  /** `--config`, relative to `cwd`. */
  readonly configPath?: string | undefined;
  readonly cwd?: string;
}

/**
 * The one app loader every command uses: finds and loads the user's `herald.config.*`, then
 * boots the app from it. TypeScript configs and listeners are imported with decorator metadata
 * (jiti), compiled JavaScript natively.
 */
export async function loadApp(
  location: AppLocation = {},
): Promise<{ herald: Herald; configFile: string | undefined }> {
  const cwd = location.cwd ?? process.cwd();
  const loaded = await loadConfig({ cwd, configPath: location.configPath, importModule });
  const herald = await createHerald(loaded.config, { cwd, importModule });
  return { herald, configFile: loaded.file };
}
