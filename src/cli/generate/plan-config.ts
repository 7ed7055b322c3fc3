import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ProjectPaths } from './project-paths.js';
import { renderStub } from './render-stub.js';
import { loadStub } from './stubs.js';
import type { PlannedFile } from './write-plan.js';

// The generated config says so in its first comment; only such a config is ever rewritten.
const GENERATED_MARKER = 'Written by `herald make:*`';
const DISCOVER_LINE = /^(\s*discover:\s*)\[([^\]\n]*)\](,?)\s*$/m;

function folderOf(paths: ProjectPaths, file: string): string | undefined {
  for (const folder of [paths.events, paths.listeners, paths.subscribers]) {
    if (file.startsWith(`${folder}${sep}`)) return relative(paths.root, folder).split(sep).join('/');
  }
  return undefined;
}

function literal(entries: readonly string[]): string {
  return `[${entries.map((entry) => `'${entry}'`).join(', ')}]`;
}

/**
 * The config a generator run needs. A project without one gets a `herald.config.ts` whose
 * `discover` names the folders this run writes to: folders, not `*.ts` globs, so the compiled
 * app finds its `.js` files too, and only folders that hold a module, since an empty entry fails
 * boot. A config herald generated earlier gets a folder added the first time a generator writes
 * there; a config the user wrote is never touched (test/app/generated-config.test.ts).
 */
export function planConfig(paths: ProjectPaths, files: readonly PlannedFile[]): PlannedFile | undefined {
  const folders = [...new Set(files.flatMap((file) => folderOf(paths, file.path) ?? []))];
  if (paths.configFile === undefined) {
    const stub = loadStub('config', paths.stubs);
    return {
      path: join(paths.root, 'herald.config.ts'),
      what: 'config',
      content: renderStub(stub, { discover: literal(folders) }),
    };
  }
  if (!existsSync(paths.configFile)) return undefined;
  const text = readFileSync(paths.configFile, 'utf8');
  const line = DISCOVER_LINE.exec(text);
  if (!text.includes(GENERATED_MARKER) || line === null) return undefined;
  const current = [...(line[2] ?? '').matchAll(/'([^']*)'/g)].map((match) => match[1] as string);
  const missing = folders.filter((folder) => !current.includes(folder));
  if (missing.length === 0) return undefined;
  const content = text.replace(DISCOVER_LINE, `$1${literal([...current, ...missing])}$3`);
  return { path: paths.configFile, what: 'config', content, update: true };
}
