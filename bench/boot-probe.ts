/**
 * One boot of the generated app, in a fresh process: bench/boot.ts transpiles this file to
 * `probe.mjs` in the temp project and runs it with plain node (no loader), so the app loads the
 * way `herald <command>` loads it: herald from its build (dist/, the same module instances the
 * app's `import 'herald'` gets), the config through `loadConfig` with herald's `importModule`
 * (jiti for TypeScript, native import for JavaScript).
 *
 * Timed: `createHerald(config, { cwd, importModule, manifest })` alone, from the loaded config.
 * Afterwards (untimed) it checks what booted and prints one JSON line of results. BOOT_MODE=check
 * boots nothing and times only what boot does first with a manifest: read it and check it is
 * fresh (glob the folders, sha1 every scanned file).
 *
 * Env: BOOT_HERALD_DIST (file URL of herald's dist/, with a trailing slash), BOOT_MODE
 * (`scan` | `manifest` | `check`), BOOT_CHECK_EVENTS (event class names to dispatch, comma-separated).
 */
import type { ModuleImporter } from '../src/discovery/import-module.js';

/** What one probe run reports. */
export interface ProbeResult {
  /** createHerald wall time. */
  readonly bootMs: number;
  /** Loading herald and the config, before the timed part. */
  readonly setupMs: number;
  /** Modules discovery imported (calls of the importer). */
  readonly imports: number;
  readonly events: number;
  readonly listeners: number;
  /** Listener runs recorded by the injected services after dispatching the check events. */
  readonly handled: number;
  /** `check` mode only: reading the manifest and checking it is fresh. */
  readonly manifestCheckMs: number | undefined;
  readonly warnings: readonly string[];
}

const warnings: string[] = [];
process.on('warning', (warning) => warnings.push(`${warning.name}: ${warning.message}`));

async function main(): Promise<ProbeResult> {
  const dist = process.env.BOOT_HERALD_DIST;
  const mode = process.env.BOOT_MODE;
  if (dist === undefined || (mode !== 'scan' && mode !== 'manifest' && mode !== 'check'))
    throw new Error('probe: set BOOT_HERALD_DIST and BOOT_MODE=scan|manifest|check');
  const load = <T>(path: string) => import(new URL(path, dist).href) as Promise<T>;
  const cwd = process.cwd();

  const setupStart = performance.now();
  const herald = await load<typeof import('../src/index.js')>('index.js');
  const { importModule } = await load<typeof import('../src/discovery/import-module.js')>(
    'discovery/import-module.js',
  );
  const { config } = await herald.loadConfig({ cwd, importModule });
  const setupMs = performance.now() - setupStart;

  if (mode === 'check') {
    const manifest = await load<typeof import('../src/discovery/manifest.js')>('discovery/manifest.js');
    const { configRoot } =
      await load<typeof import('../src/config/define-config.js')>('config/define-config.js');
    const root = configRoot(config, cwd);
    const checkStart = performance.now();
    const read = await manifest.readManifest(root);
    const stale = read && (await manifest.manifestStaleness(read, config.discover ?? [], root));
    const manifestCheckMs = performance.now() - checkStart;
    if (read === undefined || stale !== undefined)
      warnings.push(`manifest not usable: ${stale ?? 'missing'}`);
    const empty = { bootMs: 0, imports: 0, events: 0, listeners: 0, handled: 0 };
    return { ...empty, setupMs, manifestCheckMs, warnings };
  }

  let imports = 0;
  const counting: ModuleImporter = (file) => {
    imports++;
    return importModule(file);
  };
  const bootStart = performance.now();
  const app = await herald.createHerald(config, {
    cwd,
    importModule: counting,
    manifest: mode === 'manifest',
  });
  const bootMs = performance.now() - bootStart;

  const eventClasses = app.eventClasses();
  const listeners = eventClasses.reduce((sum, target) => sum + app.getListeners(target).length, 0);
  const checks = (process.env.BOOT_CHECK_EVENTS ?? '').split(',').filter((name) => name !== '');
  for (const name of checks) {
    const target = eventClasses.find((candidate) => candidate.name === name);
    if (target === undefined) throw new Error(`probe: event ${name} was not discovered`);
    await app.dispatch(new (target as new (...args: unknown[]) => object)('check', 5000, new Date()));
  }
  await app.drain();
  await app.close();

  return {
    bootMs,
    setupMs,
    imports,
    events: eventClasses.length,
    listeners,
    handled: (globalThis as { __bootBenchHandled?: number }).__bootBenchHandled ?? 0,
    manifestCheckMs: undefined,
    warnings,
  };
}

process.stdout.write(`${JSON.stringify(await main())}\n`);
