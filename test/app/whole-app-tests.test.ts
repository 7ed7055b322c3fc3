import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledAppTsconfig, REPO_ROOT, TSC_BIN } from '../support/temp-project.js';
import { discoverConfig, ORDER_PLACED_SOURCE, RECORD_ORDER_SOURCE } from './order-app.js';
import { createPackedProject, type PackedProject } from './packed-project.js';

// README "Testing your app": a test that imports the app's classes and boots the whole app from
// its config, with herald installed from npm pack, under the real vitest binary and under
// node:test (compiled with tsc). The test's OrderPlaced must be the registry's OrderPlaced.

const VITEST_PASSING = `import { createHerald, loadConfig } from 'herald';
import { expect, it } from 'vitest';
import { OrderPlaced } from '../../src/events/order-placed.js';
import { handled } from '../../src/listeners/record-order.js';

it("the test's OrderPlaced is the registry's", async () => {
  const herald = await createHerald((await loadConfig({ import: (specifier) => import(specifier) })).config);
  await herald.dispatch(new OrderPlaced('o-1'));
  expect(handled).toEqual(['o-1']);
  await herald.close();
});
`;

// Without the import hook discovery loads the module a second time: boot says so, and how to fix it.
const VITEST_WITHOUT_HOOK = `import { createHerald, loadConfig } from 'herald';
import { expect, it } from 'vitest';
import { OrderPlaced } from '../../src/events/order-placed.js';

it('boot names the module loaded twice and the fix', async () => {
  expect(OrderPlaced.name).toBe('OrderPlaced');
  const boot = createHerald((await loadConfig()).config);
  await expect(boot).rejects.toThrow(/order-placed\\.ts was loaded twice.*import: \\(specifier\\) => import\\(specifier\\)/);
});
`;

const NODE_TEST = `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHerald, loadConfig } from 'herald';
import { OrderPlaced } from '../../src/events/order-placed.js';
import { handled } from '../../src/listeners/record-order.js';

test("the test's OrderPlaced is the registry's", async () => {
  const herald = await createHerald((await loadConfig({ import: (specifier) => import(specifier) })).config);
  await herald.dispatch(new OrderPlaced('o-1'));
  assert.deepEqual(handled, ['o-1']);
  await herald.close();
});
`;

describe('whole-app tests in a project that installs herald from npm pack', () => {
  let project: PackedProject;
  beforeAll(async () => {
    project = createPackedProject('herald-app-tests', ['vitest', 'vite', '@types/node', 'typescript']);
    project.write('herald.config.ts', discoverConfig(['src/events', 'src/listeners']));
    project.write('src/events/order-placed.ts', ORDER_PLACED_SOURCE);
    project.write('src/listeners/record-order.ts', RECORD_ORDER_SOURCE);
    project.write('test/vitest/app.test.ts', VITEST_PASSING);
    project.write('test/vitest/without-hook.test.ts', VITEST_WITHOUT_HOOK);
    project.write('test/node/app.test.ts', NODE_TEST);
    project.write(
      'vitest.config.ts',
      `import { defineConfig } from 'vitest/config';
export default defineConfig({
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: { include: ['test/vitest/**/*.test.ts'] },
});
`,
    );
    project.write(
      'tsconfig.json',
      compiledAppTsconfig('.', ['herald.config.ts', 'src', 'test/node'], ['node']),
    );
  }, 60_000);
  afterAll(() => project.remove());

  it('vitest: with loadConfig({ import }), the app boots and the test dispatches its own imported event', async () => {
    const result = await project.node([join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], {
      env: { CI: '1' },
    });
    expect(result.stdout).toMatch(/Tests\s+2 passed/);
    expect(result.code).toBe(0);
  }, 120_000);

  it('node:test: the compiled test boots the compiled app and dispatches its own imported event', async () => {
    const tsc = await project.node([TSC_BIN, '-p', '.']);
    expect(tsc.stdout + tsc.stderr).toBe('');
    const result = await project.node(['--test', 'dist/test/node/app.test.js']);
    expect(result.stdout).toMatch(/# pass 1/);
    expect(result.stdout).toMatch(/# fail 0/);
    expect(result.code).toBe(0);
  }, 120_000);
});
