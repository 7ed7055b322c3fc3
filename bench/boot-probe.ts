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
 * fresh (glob the folders, sha1 every scanned file). BOOT_MODE=plain boots nothing either: after
 * the same setup it lists the plain twin's modules (untimed) and times importing them all in
 * parallel with herald's `importModule`, the baseline the boot rows are compared with.
 *
 * Env: BOOT_HERALD_DIST (file URL of herald's dist/, with a trailing slash), BOOT_MODE
 * (`scan` | `manifest` | `check` | `plain`), BOOT_CHECK_EVENTS (event class names to dispatch,
 * comma-separated), BOOT_PLAIN_FOLDERS (`plain` mode: folders to import, comma-separated).
 */

/** What one probe run reports. */
export interface ProbeResult {
  /** createHerald wall time (in `plain` mode: the parallel import). */
  readonly bootMs: number;
  /** CPU time (user + system) of this process over the same span: steadier than wall time on a shared machine. */
  readonly cpuMs: number;
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

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
process.on('warning', (warning) => warnings.push(`${warning.name}: ${warning.message}`));

async function main(): Promise<ProbeResult> {
  const dist = process.env.BOOT_HERALD_DIST;
  const mode = process.env.BOOT_MODE;
  if (dist === undefined || !['scan', 'manifest', 'check', 'plain'].includes(mode ?? ''))
    throw new Error('probe: set BOOT_HERALD_DIST and BOOT_MODE=scan|manifest|check|plain');
  const load = <T>(path: string) => import(new URL(path, dist).href) as Promise<T>;
  const cwd = process.cwd();

  const setupStart = performance.now();
  const herald = await load<typeof import('../src/index.js')>('index.js');
  const { importModule } = await load<typeof import('../src/discovery/import-module.js')>(
    'discovery/import-module.js',
  );
  // `from`: the probe is a .mjs file, so without it the compiled-entry rule would (rightly, for
  // an app) warn that a TypeScript config sits beside compiled code; here jiti loads the ts flavour.
  const { config } = await herald.loadConfig({ cwd, from: cwd, importModule });
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
    const empty = { bootMs: 0, cpuMs: 0, imports: 0, events: 0, listeners: 0, handled: 0 };
    return { ...empty, setupMs, manifestCheckMs, warnings };
  }

  if (mode === 'plain') {
    const { findModuleFiles } =
      await load<typeof import('../src/discovery/find-files.js')>('discovery/find-files.js');
    const folders = (process.env.BOOT_PLAIN_FOLDERS ?? '').split(',').filter((f) => f !== '');
    const files = await findModuleFiles(folders, cwd);
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    await Promise.all(files.map((file) => importModule(file)));
    const bootMs = performance.now() - start;
    const cpuMs = cpuSince(cpuStart);
    const empty = { events: 0, listeners: 0, handled: 0, manifestCheckMs: undefined };
    return { ...empty, bootMs, cpuMs, setupMs, imports: files.length, warnings };
  }

  // herald's own importer, as an app gets it (a wrapper would turn off its batched imports):
  // the generated modules count their own evaluations instead.
  const evaluated = globalThis as { __bootBenchModules?: number };
  const before = evaluated.__bootBenchModules ?? 0;
  const bootStart = performance.now();
  const cpuStart = process.cpuUsage();
  const app = await herald.createHerald(config, {
    cwd,
    importModule,
    manifest: mode === 'manifest',
  });
  const bootMs = performance.now() - bootStart;
  const cpuMs = cpuSince(cpuStart);

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
    cpuMs,
    setupMs,
    imports: (evaluated.__bootBenchModules ?? 0) - before,
    events: eventClasses.length,
    listeners,
    handled: (globalThis as { __bootBenchHandled?: number }).__bootBenchHandled ?? 0,
    manifestCheckMs: undefined,
    warnings,
  };
}

process.stdout.write(`${JSON.stringify(await main())}\n`);
