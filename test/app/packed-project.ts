import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { collect, REPO_ROOT, type RunResult } from '../support/temp-project.js';

/** A project outside the repo with herald installed from `npm pack` (real files under node_modules). */
export interface PackedProject {
  readonly dir: string;
  write(path: string, content: string): void;
  /** Runs `node <args>` in a folder of the project (default its root). */
  node(args: readonly string[], options?: { cwd?: string; env?: Record<string, string> }): Promise<RunResult>;
  remove(): void;
}

/**
 * Packs the built herald with `npm pack` and unpacks it into `node_modules/herald` of a fresh
 * temp project, so herald sits under node_modules as users get it (test runners then treat it
 * as an external dependency, unlike a symlink to the repo). herald's dependencies and the given
 * tools are linked from the repo's node_modules.
 */
export function createPackedProject(name: string, tools: readonly string[] = []): PackedProject {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  }).trim();
  execFileSync('tar', ['xzf', packed, '-C', dir], { cwd: dir });
  renameSync(join(dir, 'package'), join(modules, 'herald'));
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
  };
  for (const dependency of [
    ...Object.keys(manifest.dependencies),
    ...Object.keys(manifest.peerDependencies),
    ...tools,
  ]) {
    const target = join(modules, dependency);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules', dependency), target, 'dir');
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }, null, 2));
  return {
    dir,
    write(path, content) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    },
    node(args, options = {}) {
      const child: ChildProcess = spawn(process.execPath, [...args], {
        cwd: join(dir, options.cwd ?? '.'),
        env: { ...process.env, NO_COLOR: '1', HERALD_CONFIG: '', ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return collect(child, 120_000);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
