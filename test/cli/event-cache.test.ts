import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempProject, type TempProject } from '../support/temp-project.js';

const EVENT = `import { Event } from 'herald';
@Event('orders.shipped')
export class OrderShipped { constructor(readonly id: string) {} }
`;
const LISTENER = `import { Listener } from 'herald';
import { appendFileSync } from 'node:fs';
import { OrderShipped } from '../events/order-shipped.ts';
@Listener(OrderShipped)
export class Notify { handle(e: OrderShipped) { appendFileSync('handled.log', e.id + '\\n'); } }
`;
// A module in a discovered folder without herald classes: scanning imports it, the manifest does not.
const HELPER = `import { writeFileSync } from 'node:fs';
writeFileSync('helper-imported.flag', 'yes');
export const format = (id: string) => '#' + id;
`;
const BOOT = `import { createHerald, loadConfig } from 'herald';
const { config } = await loadConfig();
const herald = await createHerald(config);
const [shipped] = herald.eventClasses();
console.log(JSON.stringify(herald.getListeners('orders.shipped').map((l) => l.name)));
await herald.dispatch(new (shipped as new (id: string) => object)('o-1'));
await herald.close();
`;

describe('herald event:cache / event:clear', () => {
  let project: TempProject;

  beforeEach(() => {
    project = createTempProject('herald-cache');
    project.write(
      'herald.config.ts',
      "import { defineConfig } from 'herald';\nexport default defineConfig({ discover: ['src'] });\n",
    );
    project.write('src/events/order-shipped.ts', EVENT);
    project.write('src/listeners/notify.ts', LISTENER);
    project.write('src/support/format.ts', HELPER);
    project.write('boot.ts', BOOT);
  });
  afterEach(() => project.remove());

  const flag = () => join(project.dir, 'helper-imported.flag');

  it('writes a manifest that boot uses: only the listed modules are imported, and dispatch works', async () => {
    const cached = await project.herald(['event:cache']);
    expect(cached.stderr).toBe('');
    expect(cached.code).toBe(0);
    expect(cached.stdout).toContain('Wrote .herald/manifest.json: 2 modules, 1 events, 1 listeners');
    const manifest = JSON.parse(readFileSync(join(project.dir, '.herald/manifest.json'), 'utf8'));
    expect(manifest.modules.map((module: { path: string }) => module.path)).toEqual([
      'src/events/order-shipped.ts',
      'src/listeners/notify.ts',
    ]);
    expect(manifest.modules[1].classes).toEqual([{ name: 'Notify', kind: 'listener' }]);

    rmSync(flag(), { force: true });
    const booted = await project.script('boot.ts');
    expect(booted.stderr).toBe('');
    expect(booted.stdout.trim()).toBe('["Notify"]');
    expect(readFileSync(join(project.dir, 'handled.log'), 'utf8')).toBe('o-1\n');
    expect(existsSync(flag())).toBe(false);
  });

  it('a manifest that no longer matches the files is reported and not used (boot scans instead)', async () => {
    await project.herald(['event:cache']);
    project.write('src/listeners/audit.ts', LISTENER.replace('class Notify', 'class Audit'));
    rmSync(flag(), { force: true });
    const booted = await project.script('boot.ts');
    expect(booted.stderr).toContain('HERALD_MANIFEST_STALE');
    expect(booted.stderr).toContain('src/listeners/audit.ts is new');
    expect(booted.stdout.trim()).toBe('["Audit","Notify"]');
    expect(existsSync(flag())).toBe(true);

    await project.herald(['event:cache']);
    writeFileSync(
      join(project.dir, 'src/listeners/notify.ts'),
      LISTENER.replace("e.id + '\\n'", "'changed ' + e.id + '\\n'"),
    );
    const changed = await project.script('boot.ts');
    expect(changed.stderr).toContain('src/listeners/notify.ts changed');
    expect(readFileSync(join(project.dir, 'handled.log'), 'utf8')).toContain('changed o-1');
  });

  it('event:clear deletes the manifest, and says so when there is none', async () => {
    await project.herald(['event:cache']);
    const cleared = await project.herald(['event:clear']);
    expect(cleared.code).toBe(0);
    expect(cleared.stdout).toContain('Deleted .herald/manifest.json.');
    expect(existsSync(join(project.dir, '.herald/manifest.json'))).toBe(false);
    const again = await project.herald(['event:clear']);
    expect(again.stdout).toContain('No discovery manifest to delete.');
  });

  it('event:cache refuses an app that does not boot, and a config without discover', async () => {
    project.write('src/listeners/broken.ts', "throw new Error('broken module');\n");
    const broken = await project.herald(['event:cache']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('broken module');
    expect(existsSync(join(project.dir, '.herald/manifest.json'))).toBe(false);

    project.write(
      'herald.config.ts',
      "import { defineConfig } from 'herald';\nexport default defineConfig({});\n",
    );
    const empty = await project.herald(['event:cache']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('no "discover" entries');
  });
});
