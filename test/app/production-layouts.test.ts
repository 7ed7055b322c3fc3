import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collect,
  createTempProject,
  REPO_ROOT,
  type RunResult,
  type TempProject,
} from '../support/temp-project.js';

// A TypeScript app compiled with tsc and run with plain node, in the two common layouts, from the
// project root and from dist/. Every run must register the compiled listener (never the .ts
// sources beside it) and dispatch to it: README "Running in production".

const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const EVENT = `import { Event } from 'herald';

@Event('orders.placed')
export class OrderPlaced {
  constructor(readonly orderId: string) {}
}
`;

const LISTENER = `import { Listener } from 'herald';
import { OrderPlaced } from '../events/order-placed.js';

export const handled: string[] = [];

@Listener(OrderPlaced)
export class RecordOrder {
  handle(event: OrderPlaced): void {
    handled.push(event.orderId);
  }
}
`;

function server(listenerImport: string, eventImport: string): string {
  return `import { createHerald, loadConfig } from 'herald';
import { OrderPlaced } from '${eventImport}';
import { handled } from '${listenerImport}';

const loaded = await loadConfig();
const herald = await createHerald(loaded.config);
await herald.dispatch(new OrderPlaced('o-1'));
await herald.close();
console.log(JSON.stringify({ config: loaded.file, handled }));
`;
}

function tsconfig(rootDir: string, include: readonly string[]): string {
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
      types: [],
      skipLibCheck: true,
    },
    include,
  });
}

function run(project: TempProject, cwd: string, entry: string): Promise<RunResult> {
  return collect(
    spawn(process.execPath, [entry], {
      cwd: join(project.dir, cwd),
      env: { ...process.env, HERALD_CONFIG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

function compile(project: TempProject): Promise<RunResult> {
  return collect(
    spawn(process.execPath, [TSC, '-p', '.'], { cwd: project.dir, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
}

function expectDispatched(result: RunResult, config: string): void {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const printed = JSON.parse(result.stdout) as { config: string; handled: string[] };
  expect(printed.handled).toEqual(['o-1']);
  expect(printed.config.endsWith(config)).toBe(true);
}

describe('a compiled app, tsc rootDir "." (config at the project root, compiled to dist/)', () => {
  let project: TempProject;
  beforeAll(async () => {
    project = createTempProject('herald-root-layout');
    project.write('tsconfig.json', tsconfig('.', ['herald.config.ts', 'src']));
    project.write(
      'herald.config.ts',
      `import { defineConfig } from 'herald';\nexport default defineConfig({ discover: ['src/events', 'src/listeners'] });\n`,
    );
    project.write('src/events/order-placed.ts', EVENT);
    project.write('src/listeners/record-order.ts', LISTENER);
    project.write('src/server.ts', server('./listeners/record-order.js', './events/order-placed.js'));
    const built = await compile(project);
    expect(built.stdout + built.stderr).toBe('');
  }, 60_000);
  afterAll(() => project.remove());

  it('node dist/src/server.js from the project root loads dist/herald.config.js and dispatches to the compiled listener', async () => {
    expectDispatched(await run(project, '.', 'dist/src/server.js'), join('dist', 'herald.config.js'));
  });

  it('cd dist && node src/server.js does the same', async () => {
    expectDispatched(await run(project, 'dist', 'src/server.js'), join('dist', 'herald.config.js'));
  });

  it('HERALD_CONFIG names the config whatever the working directory', async () => {
    const result = await collect(
      spawn(process.execPath, ['dist/src/server.js'], {
        cwd: project.dir,
        env: { ...process.env, HERALD_CONFIG: 'dist/herald.config.js' },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    expectDispatched(result, join('dist', 'herald.config.js'));
  });
});

describe('a compiled app, tsc rootDir "src" (config in src/, compiled to dist/)', () => {
  let project: TempProject;
  beforeAll(async () => {
    project = createTempProject('herald-src-layout');
    project.write('tsconfig.json', tsconfig('src', ['src']));
    project.write(
      'src/herald.config.ts',
      `import { defineConfig } from 'herald';\nexport default defineConfig({ discover: ['events', 'listeners'] });\n`,
    );
    project.write('src/events/order-placed.ts', EVENT);
    project.write('src/listeners/record-order.ts', LISTENER);
    project.write('src/server.ts', server('./listeners/record-order.js', './events/order-placed.js'));
    const built = await compile(project);
    expect(built.stdout + built.stderr).toBe('');
  }, 60_000);
  afterAll(() => project.remove());

  it('node dist/server.js from the project root loads dist/herald.config.js', async () => {
    expectDispatched(await run(project, '.', 'dist/server.js'), join('dist', 'herald.config.js'));
  });

  it('cd dist && node server.js does the same', async () => {
    expectDispatched(await run(project, 'dist', 'server.js'), join('dist', 'herald.config.js'));
  });

  it('the CLI from the project root finds src/herald.config.ts (the TypeScript app) and lists its listener', async () => {
    const listed = await project.herald(['event:list', '--json']);
    expect(listed.stderr).toBe('');
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { event: 'orders.placed', listeners: [{ name: 'RecordOrder' }] },
    ]);
  });
});
