import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModuleFolder, type ModuleFolder } from '../../support/module-folder.js';
import { REPO_ROOT } from '../../support/temp-project.js';

// Compiled apps import their modules in batches (src/discovery/import-batch.ts), which only
// happens under Node's own loader: these boots run in a child `node` process on herald's dist/
// (built by the test setup), without vitest's VITEST variable, on plain JavaScript modules
// that apply herald's decorators as functions (what tsc emits, minus the helper).
const HERALD = JSON.stringify(pathToFileURL(join(REPO_ROOT, 'dist', 'index.js')).href);
const run = promisify(execFile);
const MODULES = 230; // three batches of up to 100

let folder: ModuleFolder;

function eventModule(index: number, extra = ''): string {
  const name = `E${String(index).padStart(3, '0')}`;
  return `import { Event, Listener } from ${HERALD};
export class ${name} {}
Event('batch.${name}')(${name});
export class ${name}Second {}
Event('batch.${name}.second')(${name}Second);
class Handle${name} { handle() {} }
Listener(${name})(Handle${name});
${extra}`;
}

/** A resolve hook (Node's loader thread) that logs each app module imported from a `data:` batch module. */
const HOOKS = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  if (context.parentURL?.startsWith('data:') && /[/]m[0-9]+[.]mjs$/.test(specifier)) {
    appendFileSync(process.env.BATCH_LOG, specifier + '\\n');
  }
  return next(specifier, context);
}
`;

/** Boots the app in `dir` in a child node and prints what it found (or the boot error). */
const BOOT = `import { readFileSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { createHerald, HeraldError } from ${HERALD};
writeFileSync(process.env.BATCH_LOG, '');
register('./hooks.mjs', import.meta.url);
const dir = process.argv[2];
const batchedFiles = () => new Set(readFileSync(process.env.BATCH_LOG, 'utf8').split('\\n').filter(Boolean)).size;
const impl = process.argv[3] === 'one-by-one' ? { importModule: (file) => import(file) } : {};
try {
  const herald = await createHerald({ discover: ['.'] }, { cwd: dir, manifest: false, ...impl });
  const classes = herald.eventClasses();
  const events = classes.map((c) => c.name);
  const listeners = classes.flatMap((c) => herald.getListeners(c).map((l) => l.name));
  console.log(JSON.stringify({ events, listeners, batchedFiles: batchedFiles() }));
  await herald.close();
} catch (error) {
  console.log(JSON.stringify({ kind: HeraldError.is(error) ? error.kind : 'other', message: String(error.message) }));
}
`;

async function boot(
  dir: string,
  mode: 'batched' | 'one-by-one' = 'batched',
): Promise<Record<string, unknown>> {
  const env: NodeJS.ProcessEnv = { ...process.env, BATCH_LOG: join(folder.root, `batch-${mode}.log`) };
  delete env.VITEST;
  delete env.VITEST_WORKER_ID;
  delete env.VITEST_POOL_ID;
  const { stdout } = await run(process.execPath, [join(folder.root, 'boot.mjs'), dir, mode], { env });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
}

beforeAll(() => {
  folder = createModuleFolder('herald-batched-import');
  folder.write('boot.mjs', BOOT);
  folder.write('hooks.mjs', HOOKS);
  for (let index = 0; index < MODULES; index++) {
    const file = `m${String(index).padStart(3, '0')}.mjs`;
    folder.write(`good/${file}`, eventModule(index));
    // In broken/, the 150th module (the middle of the second batch) throws after declaring.
    folder.write(
      `broken/${file}`,
      eventModule(index, index === 150 ? `throw new Error('m150 exploded');\n` : ''),
    );
  }
});
afterAll(() => folder.remove());

describe('discovery of a compiled app imports its modules in batches', () => {
  it('finds every class of 230 modules, in sorted file order and declaration order, as one-by-one imports do', async () => {
    const batched = await boot(join(folder.root, 'good'));
    const oneByOne = await boot(join(folder.root, 'good'), 'one-by-one');
    const events = batched.events as string[];
    expect(events).toHaveLength(2 * MODULES);
    expect(events.slice(0, 4)).toEqual(['E000', 'E000Second', 'E001', 'E001Second']);
    expect(events.at(-1)).toBe('E229Second');
    expect(batched.listeners).toHaveLength(MODULES);
    // Every module came through a batch module; a custom importer gets no batches.
    expect(batched.batchedFiles).toBe(MODULES);
    expect(oneByOne.batchedFiles).toBe(0);
    expect({ ...batched, batchedFiles: 0 }).toEqual(oneByOne);
  });

  it('a module that throws fails boot with discovery_failed naming that file, not its batch', async () => {
    const outcome = await boot(join(folder.root, 'broken'));
    expect(outcome.kind).toBe('discovery_failed');
    expect(outcome.message).toContain(join(folder.root, 'broken', 'm150.mjs'));
    expect(outcome.message).toContain('m150 exploded');
    expect(outcome.message).not.toContain('data:');
  });
});
