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
 *
 * BOOT_EVENTS (default 500) and BOOT_HELPERS (default 100) resize the app; BOOT_KEEP=1 keeps
 * the temp project and prints its path.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import type { ProbeResult } from './boot-probe.js';
import { type BootProject, createBootProject, REPO_ROOT } from './boot-project.js';

const RUNS = envInt('BOOT_RUNS', 5);
const EVENTS = envInt('BOOT_EVENTS', 500);
const HELPERS = envInt('BOOT_HELPERS', 100, 0);
const JITI_CACHE = process.env.BOOT_JITI_CACHE !== '0';
const KEEP = process.env.BOOT_KEEP === '1';

const HERALD_BIN = join(REPO_ROOT, 'dist', 'cli', 'bin.js');
const TSC_BIN = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function envInt(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new TypeError(`${name} must be an integer >= ${min}; got "${raw}".`);
  return value;
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
}

/** Runs `node <args>` in `cwd` and collects its output and wall time (spawn to exit). */
function node(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  const start = performance.now();
  const child = spawn(process.execPath, [...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, wallMs: performance.now() - start });
    });
  });
}

function check(ok: boolean, message: string, run?: Run): void {
  if (!ok) throw new Error(`${message}${run ? `\nstdout: ${run.stdout}\nstderr: ${run.stderr}` : ''}`);
}

type Flavour = 'ts' | 'js';
type Mode = 'scan' | 'manifest' | 'cache';

interface Case {
  readonly flavour: Flavour;
  readonly mode: Mode;
  readonly label: string;
  /** The time per run the table reports (createHerald, or the CLI process for event:cache). */
  readonly times: number[];
  /** Whole child process, spawn to exit. */
  readonly processTimes: number[];
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
};

async function compileProject(project: BootProject): Promise<number> {
  const run = await node([TSC_BIN, '-p', join(project.dir, 'tsconfig.json')], project.dir);
  check(run.code === 0, 'tsc could not compile the generated project', run);
  check(existsSync(join(project.buildDir, 'herald.config.js')), 'tsc wrote no build/herald.config.js');
  return run.wallMs;
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

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const ms = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(0));

function printMarkdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headers.map((header, column) =>
    Math.max(header.length, 3, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join(' | ')} |`;
  console.log(line(headers));
  console.log(
    `|${widths.map((width, column) => (column === 0 ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`,
  );
  for (const row of rows) console.log(line(row));
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
    const probeEnv = (mode: 'scan' | 'manifest' | 'check') =>
      env({
        BOOT_HERALD_DIST: pathToFileURL(join(REPO_ROOT, 'dist/')).href,
        BOOT_MODE: mode,
        BOOT_CHECK_EVENTS: project.checkEvents.join(','),
      });
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
    const [tscMs, tsWarmup] = await Promise.all([compileProject(project), eventCache('ts')]);
    const warmups = { ts: tsWarmup, js: await eventCache('js') };

    const cases: Case[] = [];
    for (const flavour of ['ts', 'js'] as const) {
      for (const mode of ['scan', 'manifest', 'cache'] as const) {
        cases.push({
          flavour,
          mode,
          label: `${FLAVOURS[flavour]}: ${MODES[mode]}`,
          times: [],
          processTimes: [],
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
        } else {
          const { run, result } = await boot(item.flavour, item.mode);
          item.times.push(result.bootMs);
          item.processTimes.push(run.wallMs);
        }
      }
      process.stderr.write(`round ${round + 1}/${RUNS} done\n`);
    }
    const checks: Record<Flavour, number[]> = { ts: [], js: [] };
    for (let round = 0; round < RUNS; round++) {
      for (const flavour of ['ts', 'js'] as const) checks[flavour].push(await manifestCheck(flavour));
    }

    const find = (flavour: Flavour, mode: Mode) =>
      cases.find((item) => item.flavour === flavour && item.mode === mode) as Case;
    console.log(
      `\nBoot time, ${EVENTS} events + ${EVENTS} listeners (+${HELPERS} helper modules without herald classes in the discovered folders), ${RUNS} fresh processes per case, Node ${process.version}${JITI_CACHE ? '' : ', jiti fs cache OFF'}\n`,
    );
    printMarkdownTable(
      ['case', 'median ms', 'min ms', 'modules imported', 'process median ms'],
      cases.map((item) => [
        item.label,
        ms(median(item.times)),
        ms(Math.min(...item.times)),
        item.mode === 'cache' ? `${item.imports} (scan)` : String(item.imports),
        ms(median(item.processTimes)),
      ]),
    );
    console.log('');
    for (const flavour of ['ts', 'js'] as const) {
      const scan = median(find(flavour, 'scan').times);
      const manifest = median(find(flavour, 'manifest').times);
      console.log(
        `${FLAVOURS[flavour]}: manifest/scan = ${(manifest / scan).toFixed(2)}x (createHerald medians ${ms(manifest)} / ${ms(scan)} ms); of which the manifest check (read it, glob, sha1 ${project.scannedModules} files; timed alone in ${RUNS} more processes) median ${ms(median(checks[flavour]))} ms`,
      );
    }
    console.log(
      `\n"median/min ms" is createHerald(config) alone for (a)/(b), after herald and the config are loaded; for (c) the whole \`node dist/cli/bin.js event:cache\` process. "process median ms" is spawn to exit of the child. Setup: generated ${project.scannedModules + 11} files in ${ms(generatedMs)} ms, tsc build ${ms(tscMs)} ms, first event:cache (cold, untimed, TS one beside tsc) TS ${ms(warmups.ts.wallMs)} ms, JS ${ms(warmups.js.wallMs)} ms; total ${((performance.now() - started) / 1000).toFixed(1)} s.`,
    );
  } finally {
    if (KEEP) console.log(`\nkept ${project.dir}`);
    else rmSync(project.dir, { recursive: true, force: true });
  }
}

await main();
