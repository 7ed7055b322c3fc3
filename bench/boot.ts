/**
 * Boot time of an app with 500 events and 500 listeners: discovery by scanning the folders
 * versus the manifest written by `herald event:cache`, for the app as TypeScript (loaded
 * through jiti, as the CLI loads TS apps) and compiled to JavaScript (tsc, plain node).
 *
 *   npm run build && npm run bench:boot
 *
 * 1. Generates a project under the OS temp folder (bench/boot-project.ts): 500 event modules,
 *    500 listener modules (one event each; every 4th queued, every 3rd with a constructor-
 *    injected service), 100 helper modules without herald classes in the discovered folders,
 *    and a herald.config.ts that binds 10 services. herald (this repo's dist/) and inversify
 *    are linked into its node_modules. tsc (this repo's typescript; experimentalDecorators,
 *    emitDecoratorMetadata) compiles it to build/, which has its own herald.config.js.
 * 2. Runs the real CLI (`node dist/cli/bin.js event:cache`) once per flavour, untimed: writes
 *    each manifest and warms the OS file cache and jiti's transform cache (kept inside the temp
 *    project through TMPDIR, so the TS rows are warm-cache boots, the usual case after the
 *    first run; BOOT_JITI_CACHE=0 disables it to time cold transforms).
 * 3. BOOT_RUNS rounds (default 5), cases interleaved, each run a FRESH node process
 *    (bench/boot-probe.ts): herald and the config are loaded, then only
 *    `createHerald(config, { manifest })` is timed: (a) scan (`manifest: false`) and
 *    (b) manifest (the default, with the manifest present and fresh). (c) `event:cache` is
 *    timed as the whole CLI process (spawn to exit), as a user sees it. Every boot is checked:
 *    500 events, 500 listeners, modules imported, injected listeners run, no stale-manifest
 *    warning. Then BOOT_RUNS more processes per flavour time the manifest check alone (read the
 *    manifest, glob the folders, sha1 every scanned file: what (b) does before importing).
 *    (p), compiled flavour only: the baseline. The same 1,100 modules without their decorator
 *    lines, as tsc compiles them (imports that only types use are dropped), imported in
 *    parallel with herald's `importModule` in the same kind of process, after the same setup.
 *    (p+) is the same with every import kept (bench/boot-project.ts): what is left between it
 *    and (p) is the modules that decorator metadata makes a listener import at run time. The TS
 *    flavour has no such rows (they would measure jiti's transforms, not herald). (d) imports
 *    the app's decorated modules one by one in parallel, as boot did before it imported compiled
 *    modules in batches (src/discovery/import-batch.ts): (a)/(b) below (d) is that change.
 *
 * BOOT_EVENTS (default 500) and BOOT_HELPERS (default 100) resize the app; BOOT_KEEP=1 keeps
 * the temp project and prints its path; BOOT_FLAVOURS=js (or ts) runs one flavour only.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import type { ProbeResult } from './boot-probe.js';
import { type BootProject, createBootProject, REPO_ROOT } from './boot-project.js';
import { check, envInt, median, ms, node, printMarkdownTable, type Run } from './boot-support.js';

const RUNS = envInt('BOOT_RUNS', 5);
const EVENTS = envInt('BOOT_EVENTS', 500);
const HELPERS = envInt('BOOT_HELPERS', 100, 0);
const JITI_CACHE = process.env.BOOT_JITI_CACHE !== '0';
const KEEP = process.env.BOOT_KEEP === '1';
const SELECTED = (process.env.BOOT_FLAVOURS ?? 'ts,js').split(',').filter((f) => f !== '');

const HERALD_BIN = join(REPO_ROOT, 'dist', 'cli', 'bin.js');
const TSC_BIN = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

type Flavour = 'ts' | 'js';
type Mode = 'scan' | 'manifest' | 'cache' | 'plain' | 'kept' | 'decorated';

interface Case {
  readonly flavour: Flavour;
  readonly mode: Mode;
  readonly label: string;
  /** The time per run the table reports (createHerald, or the CLI process for event:cache). */
  readonly times: number[];
  /** Whole child process, spawn to exit. */
  readonly processTimes: number[];
  /** CPU time of the timed span (not for event:cache). */
  readonly cpuTimes: number[];
  imports: number;
}

const FLAVOURS: Record<Flavour, string> = {
  ts: 'TS via jiti',
  js: 'JS (tsc build), node',
};
const MODES: Record<Mode, string> = {
  scan: '(a) createHerald, scan',
  manifest: '(b) createHerald, manifest',
  cache: '(c) event:cache (whole CLI process)',
  plain: '(p) plain modules, parallel import()',
  kept: '(p+) plain modules, imports kept, parallel import()',
  decorated: "(d) the app's own decorated modules, parallel import(), no createHerald",
};
/** The modes each flavour runs ((p) needs a plain twin that keeps its imports: see above). */
const FLAVOUR_MODES: Record<Flavour, readonly Mode[]> = {
  ts: ['scan', 'manifest', 'cache'],
  js: ['scan', 'manifest', 'cache', 'plain', 'kept', 'decorated'],
};

async function compileProject(project: BootProject): Promise<number> {
  const [run, ...plain] = await Promise.all(
    [join(project.dir, 'tsconfig.json'), ...project.plainTsconfigs].map((tsconfig) =>
      node([TSC_BIN, '-p', tsconfig], project.dir),
    ),
  );
  check(run?.code === 0, 'tsc could not compile the generated project', run);
  for (const twin of plain) check(twin.code === 0, 'tsc could not compile the plain twin', twin);
  check(existsSync(join(project.buildDir, 'herald.config.js')), 'tsc wrote no build/herald.config.js');
  return Math.max(run?.wallMs ?? 0, ...plain.map((twin) => twin.wallMs));
}

/** Transpiles the probe into the project (plain JS, run by plain node). */
function writeProbe(project: BootProject): string {
  const source = readFileSync(join(REPO_ROOT, 'bench', 'boot-probe.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const file = join(project.dir, 'probe.mjs');
  writeFileSync(file, outputText);
  return file;
}

async function main(): Promise<void> {
  check(
    existsSync(HERALD_BIN) && existsSync(join(REPO_ROOT, 'dist', 'index.js')),
    `No herald build at ${join(REPO_ROOT, 'dist')}: run \`npm run build\` first (the app imports herald's dist/).`,
  );
  const started = performance.now();
  const project = createBootProject({ events: EVENTS, helpers: HELPERS });
  try {
    const generatedMs = performance.now() - started;
    const probe = writeProbe(project);
    const jitiTmp = join(project.dir, '.tmp');
    mkdirSync(jitiTmp);
    const cwdOf: Record<Flavour, string> = { ts: project.dir, js: project.buildDir };
    const env = (extra: Record<string, string>): Record<string, string> => ({
      // jiti keeps its transform cache in os.tmpdir()/jiti: keep it inside the project.
      TMPDIR: jitiTmp,
      ...(JITI_CACHE ? {} : { JITI_FS_CACHE: 'false' }),
      ...extra,
    });

    const eventCache = async (flavour: Flavour): Promise<Run> => {
      const run = await node([HERALD_BIN, 'event:cache'], cwdOf[flavour], env({}));
      check(run.code === 0 && run.stdout.includes('Wrote'), `event:cache failed (${flavour})`, run);
      const expected = `${project.heraldModules} modules, ${EVENTS} events, ${EVENTS} listeners`;
      check(run.stdout.includes(expected), `event:cache did not find ${expected} (${flavour})`, run);
      return run;
    };
    const probeEnv = (mode: 'scan' | 'manifest' | 'check' | 'plain', plainFolders: readonly string[] = []) =>
      env({
        BOOT_HERALD_DIST: pathToFileURL(join(REPO_ROOT, 'dist/')).href,
        BOOT_MODE: mode,
        BOOT_CHECK_EVENTS: project.checkEvents.join(','),
        BOOT_PLAIN_FOLDERS: plainFolders.join(','),
      });
    /** Times importing the plain twin in parallel (compiled flavour): (p) elided or (p+) kept imports. */
    const plainImport = async (
      flavour: Flavour,
      mode: 'plain' | 'kept' | 'decorated',
    ): Promise<{ run: Run; result: ProbeResult }> => {
      const folders =
        mode === 'plain'
          ? project.elidedFolders
          : mode === 'kept'
            ? project.plainFolders
            : project.decoratedFolders;
      const run = await node([probe], cwdOf[flavour], probeEnv('plain', folders));
      check(run.code === 0, `plain import probe failed (${flavour})`, run);
      const result = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as ProbeResult;
      check(
        result.imports === project.scannedModules,
        `plain import (${flavour}) imported ${result.imports} modules, expected ${project.scannedModules}`,
        run,
      );
      return { run, result };
    };
    /** Times reading the manifest and checking it is fresh, without booting. */
    const manifestCheck = async (flavour: Flavour): Promise<number> => {
      const run = await node([probe], cwdOf[flavour], probeEnv('check'));
      check(run.code === 0, `manifest check probe failed (${flavour})`, run);
      const result = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as ProbeResult;
      check(
        result.warnings.length === 0,
        `manifest not fresh (${flavour}): ${result.warnings.join('; ')}`,
        run,
      );
      return result.manifestCheckMs ?? Number.NaN;
    };
    const boot = async (
      flavour: Flavour,
      mode: 'scan' | 'manifest',
    ): Promise<{ run: Run; result: ProbeResult }> => {
      const run = await node([probe], cwdOf[flavour], probeEnv(mode));
      check(run.code === 0, `probe failed (${flavour} ${mode})`, run);
      const result = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as ProbeResult;
      const imports = mode === 'scan' ? project.scannedModules : project.heraldModules;
      check(
        result.events === EVENTS &&
          result.listeners === EVENTS &&
          result.imports === imports &&
          result.handled === project.checkEvents.length &&
          result.warnings.length === 0,
        `unexpected boot (${flavour} ${mode}): ${JSON.stringify(result)}; expected ${EVENTS} events and listeners, ${imports} imports, ${project.checkEvents.length} handled`,
        run,
      );
      return { run, result };
    };

    // Untimed: compile, write the manifests, warm the file cache and jiti's transform cache. tsc
    // and the TS event:cache touch different files (src/ -> build/, .herald/), so they overlap.
    const flavours = (['ts', 'js'] as const).filter((flavour) => SELECTED.includes(flavour));
    check(flavours.length > 0, `BOOT_FLAVOURS must name ts and/or js; got "${SELECTED.join(',')}"`);
    const [tscMs, tsWarmup] = await Promise.all([
      compileProject(project),
      flavours.includes('ts') ? eventCache('ts') : undefined,
    ]);
    const warmups = { ts: tsWarmup, js: flavours.includes('js') ? await eventCache('js') : undefined };

    const cases: Case[] = [];
    for (const flavour of flavours) {
      for (const mode of FLAVOUR_MODES[flavour]) {
        cases.push({
          flavour,
          mode,
          label: `${FLAVOURS[flavour]}: ${MODES[mode]}`,
          times: [],
          processTimes: [],
          cpuTimes: [],
          imports: mode === 'manifest' ? project.heraldModules : project.scannedModules,
        });
      }
    }
    for (let round = 0; round < RUNS; round++) {
      // Rotate the order so no case always runs right after the same neighbour.
      const order = cases.map((_, i) => cases[(i + round) % cases.length] as Case);
      for (const item of order) {
        if (item.mode === 'cache') {
          const run = await eventCache(item.flavour);
          item.times.push(run.wallMs);
          item.processTimes.push(run.wallMs);
        } else if (item.mode === 'plain' || item.mode === 'kept' || item.mode === 'decorated') {
          const { run, result } = await plainImport(item.flavour, item.mode);
          item.times.push(result.bootMs);
          item.cpuTimes.push(result.cpuMs);
          item.processTimes.push(run.wallMs);
        } else {
          const { run, result } = await boot(item.flavour, item.mode);
          item.times.push(result.bootMs);
          item.cpuTimes.push(result.cpuMs);
          item.processTimes.push(run.wallMs);
        }
      }
      process.stderr.write(`round ${round + 1}/${RUNS} done\n`);
    }
    const checks: Record<Flavour, number[]> = { ts: [], js: [] };
    for (let round = 0; round < RUNS; round++) {
      for (const flavour of flavours) checks[flavour].push(await manifestCheck(flavour));
    }

    const find = (flavour: Flavour, mode: Mode) =>
      cases.find((item) => item.flavour === flavour && item.mode === mode) as Case;
    console.log(
      `\nBoot time, ${EVENTS} events + ${EVENTS} listeners (+${HELPERS} helper modules without herald classes in the discovered folders), ${RUNS} fresh processes per case, Node ${process.version}${JITI_CACHE ? '' : ', jiti fs cache OFF'}\n`,
    );
    printMarkdownTable(
      ['case', 'median ms', 'min ms', 'CPU median ms', 'modules imported', 'process median ms'],
      cases.map((item) => [
        item.label,
        ms(median(item.times)),
        ms(Math.min(...item.times)),
        ms(median(item.cpuTimes)),
        item.mode === 'cache' ? `${item.imports} (scan)` : String(item.imports),
        ms(median(item.processTimes)),
      ]),
    );
    console.log('');
    for (const flavour of flavours) {
      const scan = median(find(flavour, 'scan').times);
      const manifest = median(find(flavour, 'manifest').times);
      console.log(
        `${FLAVOURS[flavour]}: manifest/scan = ${(manifest / scan).toFixed(2)}x (createHerald medians ${ms(manifest)} / ${ms(scan)} ms); of which the manifest check (read it, glob, sha1 ${project.scannedModules} files; timed alone in ${RUNS} more processes) median ${ms(median(checks[flavour]))} ms`,
      );
      for (const baseline of ['plain', 'kept', 'decorated'] as const) {
        const plain = cases.find((item) => item.flavour === flavour && item.mode === baseline);
        if (plain === undefined) continue;
        // Paired per round (the cases of one round ran back to back), then the median: steadier
        // on a shared machine than a ratio of medians taken across rounds.
        const paired = (mode: Mode, of: (item: Case) => number[]) =>
          median(of(find(flavour, mode)).map((time, round) => time / (of(plain)[round] ?? Number.NaN)));
        const wall = (item: Case) => item.times;
        const cpu = (item: Case) => item.cpuTimes;
        const x = (mode: Mode, of: (item: Case) => number[]) => `${paired(mode, of).toFixed(2)}x`;
        console.log(
          `${FLAVOURS[flavour]}: against ${MODES[baseline]} (median ${ms(median(plain.times))} ms): scan ${x('scan', wall)}, manifest ${x('manifest', wall)} wall; scan ${x('scan', cpu)}, manifest ${x('manifest', cpu)} CPU (medians of per-round ratios)`,
        );
      }
    }
    console.log(
      `\n"median/min ms" is createHerald(config) alone for (a)/(b), after herald and the config are loaded; for (c) the whole \`node dist/cli/bin.js event:cache\` process; for (p)/(p+)/(d) the parallel import() of the plain twin (or of the app's decorated modules) alone, after the same setup. "CPU median ms" is the child's user + system CPU time over that same span. "process median ms" is spawn to exit of the child. Setup: generated ${2 * (project.scannedModules + 10) + 1} files (app and plain twin) in ${ms(generatedMs)} ms, tsc build ${ms(tscMs)} ms, first event:cache (cold, untimed, TS one beside tsc) TS ${ms(warmups.ts?.wallMs ?? Number.NaN)} ms, JS ${ms(warmups.js?.wallMs ?? Number.NaN)} ms; total ${((performance.now() - started) / 1000).toFixed(1)} s.`,
    );
  } finally {
    if (KEEP) console.log(`\nkept ${project.dir}`);
    else rmSync(project.dir, { recursive: true, force: true });
  }
}

await main();
