import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHerald, findConfigFile, HeraldError, loadConfig } from '../../../src/index.js';

const SRC = join(import.meta.dirname, '../../../src/index.js');

describe('loadConfig()', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'herald-config-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('loadConfig() - with no config file anywhere, returns an empty config (memory defaults)', async () => {
    const loaded = await loadConfig({ cwd: dir });
    expect(loaded).toEqual({ config: {}, file: undefined });
    const herald = await createHerald(loaded.config);
    expect(herald.defaultConnection).toBe('memory');
    await herald.close();
  });

  it('findConfigFile() - finds herald.config.* in a parent folder', () => {
    writeFileSync(join(dir, 'herald.config.mjs'), 'export default {};');
    const nested = join(dir, 'a', 'b');
    mkdirSync(nested, { recursive: true });
    expect(findConfigFile(nested)).toBe(join(dir, 'herald.config.mjs'));
  });

  it('loadConfig() - loads a TypeScript config whose discover paths resolve against its own folder', async () => {
    mkdirSync(join(dir, 'listeners'));
    writeFileSync(
      join(dir, 'listeners', 'ping.ts'),
      `import { Event, Listener } from ${JSON.stringify(SRC)};
@Event('config.ping') export class Ping { constructor(readonly n: number) {} }
@Listener(Ping) export class Pong { handle(e: Ping) { (globalThis as Record<string, unknown>).pongs = e.n; } }
`,
    );
    writeFileSync(
      join(dir, 'herald.config.ts'),
      `import { defineConfig } from ${JSON.stringify(SRC)};
export default defineConfig({ discover: ['listeners'], queue: { default: 'sync' } });
`,
    );
    const nested = join(dir, 'deep');
    mkdirSync(nested);
    const loaded = await loadConfig({ cwd: nested });
    expect(loaded.file).toBe(join(dir, 'herald.config.ts'));
    const herald = await createHerald(loaded.config, { cwd: nested });
    const [ping] = herald.eventClasses();
    expect(herald.defaultConnection).toBe('sync');
    expect(herald.getListeners('config.ping').map((listener) => listener.name)).toEqual(['Pong']);
    await herald.dispatch(new (ping as new (n: number) => object)(7));
    expect((globalThis as Record<string, unknown>).pongs).toBe(7);
    await herald.close();
  });

  it('loadConfig() - an explicit --config path that does not exist is config_not_found', async () => {
    const error = await loadConfig({ cwd: dir, configPath: 'nope.config.ts' }).catch(
      (caught: unknown) => caught,
    );
    expect(HeraldError.is(error, 'config_not_found')).toBe(true);
    expect((error as Error).message).toContain(join(dir, 'nope.config.ts'));
  });

  it('loadConfig() - a config without a default export is config_invalid and says what to export', async () => {
    writeFileSync(join(dir, 'herald.config.mjs'), 'export const nothing = 1;');
    const error = await loadConfig({ cwd: dir }).catch((caught: unknown) => caught);
    expect(HeraldError.is(error, 'config_invalid')).toBe(true);
    expect((error as Error).message).toMatch(/export default defineConfig/);
  });

  it('loadConfig() - a config that throws while loading is config_invalid with the file and cause', async () => {
    writeFileSync(join(dir, 'herald.config.mjs'), 'throw new Error("boom in config");');
    const error = await loadConfig({ cwd: dir }).catch((caught: unknown) => caught);
    expect(HeraldError.is(error, 'config_invalid')).toBe(true);
    expect((error as Error).message).toContain('herald.config.mjs');
    expect((error as Error).message).toContain('boom in config');
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});
