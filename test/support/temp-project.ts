import { type ChildProcess, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the herald package). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The built CLI entry (vitest's build global setup compiles it before tests run). */
export const HERALD_BIN = join(REPO_ROOT, 'dist', 'cli', 'bin.js');
/** jiti's CLI, to run a project's TypeScript scripts with decorator metadata. */
export const JITI_BIN = join(REPO_ROOT, 'node_modules', 'jiti', 'lib', 'jiti-cli.mjs');
/** TypeScript's compiler, to build a project as its users do. */
export const TSC_BIN = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/**
 * The tsconfig.json of a decorated app compiled with tsc to `dist/` (README "Running in
 * production"): `rootDir` and `include` say the layout, `types` the ambient types it needs.
 */
export function compiledAppTsconfig(
  rootDir: string,
  include: readonly string[],
  types: readonly string[] = [],
): string {
  return JSON.stringify({
    compilerOptions: {
      target: 'es2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      rootDir,
      outDir: 'dist',
      types,
      skipLibCheck: true,
    },
    include,
  });
}

/** A throwaway project folder outside the repo, with herald and inversify installed (linked). */
export interface TempProject {
  readonly dir: string;
  /** Writes a file (folders created), relative to the project. */
  write(path: string, content: string): void;
  /** Runs `herald <args>` in the project and collects its output. */
  herald(args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Starts `herald <args>` and returns the child (for signals and kills). */
  spawnHerald(args: readonly string[], options?: RunOptions): ChildProcess;
  /** Runs a TypeScript/JS script of the project with jiti. */
  script(path: string, options?: RunOptions): Promise<RunResult>;
  /** Runs `node <args>` in the project. */
  node(args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Compiles the project with tsc (`tsc -p .`). */
  compile(): Promise<RunResult>;
  remove(): void;
}

export interface RunOptions {
  readonly env?: Record<string, string>;
  /** The folder to run in, relative to the project (default its root). */
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The non-empty lines of a file a project's process appends to; none while it does not exist. */
export function readLines(path: string): string[] {
  return existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
    : [];
}

/** Waits for a child to exit and collects what it printed. */
export function collect(child: ChildProcess, timeoutMs = 60_000): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`process timed out after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Makes a temp project with `package.json` (ESM) and linked `herald` + `inversify`. */
export function createTempProject(name = 'herald-project'): TempProject {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'herald'), 'dir');
  symlinkSync(join(REPO_ROOT, 'node_modules', 'inversify'), join(dir, 'node_modules', 'inversify'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }, null, 2));
  const run = (args: readonly string[], options: RunOptions = {}) =>
    spawn(process.execPath, [...args], {
      cwd: join(dir, options.cwd ?? '.'),
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  return {
    dir,
    write(path, content) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    },
    herald: (args, options = {}) => collect(run([HERALD_BIN, ...args], options), options.timeoutMs),
    spawnHerald: (args, options = {}) => run([HERALD_BIN, ...args], options),
    script: (path, options = {}) => collect(run([JITI_BIN, path], options), options.timeoutMs),
    node: (args, options = {}) => collect(run(args, options), options.timeoutMs),
    compile: () => collect(run([TSC_BIN, '-p', '.'])),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
