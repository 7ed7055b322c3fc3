import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compiledAppTsconfig,
  createTempProject,
  type RunResult,
  type TempProject,
} from '../support/temp-project.js';
import { discoverConfig, ORDER_PLACED_SOURCE, RECORD_ORDER_SOURCE } from './order-app.js';

// A TypeScript app compiled with tsc and run with plain node, in the two common layouts, from the
// project root and from dist/. Every run must register the compiled listener (never the .ts
// sources beside it) and dispatch to it: README "Running in production".

const SERVER = `import { createHerald, loadConfig } from 'herald';
import { OrderPlaced } from './events/order-placed.js';
import { handled } from './listeners/record-order.js';

const loaded = await loadConfig();
const herald = await createHerald(loaded.config);
await herald.dispatch(new OrderPlaced('o-1'));
await herald.close();
console.log(JSON.stringify({ config: loaded.file, handled }));
`;

/** Where a layout keeps its config and what tsc compiles. */
interface Layout {
  readonly name: string;
  readonly rootDir: string;
  readonly include: readonly string[];
  /** The config's path in the project; it discovers `discover` (relative to its folder). */
  readonly config: string;
  readonly discover: readonly string[];
}

/**
 * Registers a beforeAll that writes the sample app in `layout` and compiles it with tsc (which
 * must print nothing), and an afterAll that removes it. Returns the current project.
 */
function useCompiledApp(layout: Layout): () => TempProject {
  let project: TempProject | undefined;
  beforeAll(async () => {
    project = createTempProject(layout.name);
    project.write('tsconfig.json', compiledAppTsconfig(layout.rootDir, layout.include));
    project.write(layout.config, discoverConfig(layout.discover));
    project.write('src/events/order-placed.ts', ORDER_PLACED_SOURCE);
    project.write('src/listeners/record-order.ts', RECORD_ORDER_SOURCE);
    project.write('src/server.ts', SERVER);
    const built = await project.compile();
    expect(built.stdout + built.stderr).toBe('');
  }, 60_000);
  afterAll(() => project?.remove());
  return () => {
    if (project === undefined) throw new Error('no project outside a test');
    return project;
  };
}

function run(project: TempProject, cwd: string, entry: string): Promise<RunResult> {
  return project.node([entry], { cwd, env: { HERALD_CONFIG: '' } });
}

function expectDispatched(result: RunResult, config: string): void {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const printed = JSON.parse(result.stdout) as { config: string; handled: string[] };
  expect(printed.handled).toEqual(['o-1']);
  expect(printed.config.endsWith(config)).toBe(true);
}

describe('a compiled app, tsc rootDir "." (config at the project root, compiled to dist/)', () => {
  const project = useCompiledApp({
    name: 'herald-root-layout',
    rootDir: '.',
    include: ['herald.config.ts', 'src'],
    config: 'herald.config.ts',
    discover: ['src/events', 'src/listeners'],
  });

  it('node dist/src/server.js from the project root loads dist/herald.config.js and dispatches to the compiled listener', async () => {
    expectDispatched(await run(project(), '.', 'dist/src/server.js'), join('dist', 'herald.config.js'));
  });

  it('cd dist && node src/server.js does the same', async () => {
    expectDispatched(await run(project(), 'dist', 'src/server.js'), join('dist', 'herald.config.js'));
  });

  it('HERALD_CONFIG names the config whatever the working directory', async () => {
    const result = await project().node(['dist/src/server.js'], {
      env: { HERALD_CONFIG: 'dist/herald.config.js' },
    });
    expectDispatched(result, join('dist', 'herald.config.js'));
  });
});

describe('a compiled app, tsc rootDir "src" (config in src/, compiled to dist/)', () => {
  const project = useCompiledApp({
    name: 'herald-src-layout',
    rootDir: 'src',
    include: ['src'],
    config: 'src/herald.config.ts',
    discover: ['events', 'listeners'],
  });

  it('node dist/server.js from the project root loads dist/herald.config.js', async () => {
    expectDispatched(await run(project(), '.', 'dist/server.js'), join('dist', 'herald.config.js'));
  });

  it('cd dist && node server.js does the same', async () => {
    expectDispatched(await run(project(), 'dist', 'server.js'), join('dist', 'herald.config.js'));
  });

  it('the CLI from the project root finds src/herald.config.ts (the TypeScript app) and lists its listener', async () => {
    const listed = await project().herald(['event:list', '--json']);
    expect(listed.stderr).toBe('');
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { event: 'orders.placed', listeners: [{ name: 'RecordOrder' }] },
    ]);
  });
});
