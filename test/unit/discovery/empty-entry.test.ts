import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModuleImporter } from '../../../src/discovery/import-module.js';
import { createHerald, Event, type HeraldConfig } from '../../../src/index.js';
import { bootFailure } from '../boot/boot-helpers.js';

/** A config as if declared in `file` (what defineConfig / loadConfig record). */
function declaredIn(file: string, config: HeraldConfig): HeraldConfig {
  Object.defineProperty(config, Symbol.for('herald.configFile'), { value: file, enumerable: false });
  return config;
}

function recordingImporter(): { importer: ModuleImporter; imported: string[] } {
  const imported: string[] = [];
  return {
    imported,
    importer: async (file) => {
      imported.push(file);
      return {};
    },
  };
}

describe('discovery - entries that find nothing, and which language a config discovers', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'herald-entries-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    vi.restoreAllMocks();
  });

  it('a folder entry with no module file fails boot with discovery_failed naming the entry and the folder', async () => {
    mkdirSync(join(dir, 'src', 'listeners'), { recursive: true });
    writeFileSync(join(dir, 'src', 'listeners', 'README.md'), '# nothing here');
    const error = await bootFailure(
      declaredIn(join(dir, 'herald.config.ts'), { discover: ['src/listeners'] }),
    );
    expect(error.kind).toBe('discovery_failed');
    expect(error.message).toContain('"src/listeners" matched no module file');
    expect(error.message).toContain(`looked in ${join(dir, 'src', 'listeners')}`);
  });

  it('a *.ts glob that matches nothing says to name the folder instead', async () => {
    mkdirSync(join(dir, 'src', 'events'), { recursive: true });
    writeFileSync(join(dir, 'src', 'events', 'order.js'), 'export {};');
    const config = declaredIn(join(dir, 'herald.config.js'), { discover: ['src/events/**/*.ts'] });
    const error = await bootFailure(config);
    expect(error.kind).toBe('discovery_failed');
    expect(error.message).toContain('"src/events/**/*.ts" matched no module file');
    expect(error.message).toContain(`looked in ${join(dir, 'src', 'events')}`);
    expect(error.message).toContain("Name the folder instead (e.g. 'src/events')");
  });

  it('a compiled (JavaScript) config never imports .ts files: a folder of sources only is discovery_failed', async () => {
    mkdirSync(join(dir, 'src', 'events'), { recursive: true });
    writeFileSync(join(dir, 'src', 'events', 'order.ts'), 'export {};');
    const { importer, imported } = recordingImporter();
    const config = declaredIn(join(dir, 'herald.config.js'), { discover: ['src/events'] });
    const error = await bootFailure(config, { importModule: importer });
    expect(error.kind).toBe('discovery_failed');
    expect(error.message).toContain('only TypeScript files');
    expect(imported).toEqual([]);
  });

  it('a JavaScript config imports x.js and skips the x.ts beside it; a TypeScript config the other way round', async () => {
    mkdirSync(join(dir, 'events'));
    for (const file of ['order.ts', 'order.js', 'legacy.js'])
      writeFileSync(join(dir, 'events', file), 'export {};');
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const js = recordingImporter();
    await (
      await createHerald(declaredIn(join(dir, 'herald.config.js'), { discover: ['events'] }), {
        importModule: js.importer,
      })
    ).close();
    expect(js.imported).toEqual([join(dir, 'events', 'legacy.js'), join(dir, 'events', 'order.js')]);
    const ts = recordingImporter();
    await (
      await createHerald(declaredIn(join(dir, 'herald.config.ts'), { discover: ['events'] }), {
        importModule: ts.importer,
      })
    ).close();
    expect(ts.imported).toEqual([join(dir, 'events', 'legacy.js'), join(dir, 'events', 'order.ts')]);
  });

  it('a config whose discover registers no listener at all warns at boot (HERALD_NO_LISTENERS)', async () => {
    mkdirSync(join(dir, 'events'));
    writeFileSync(join(dir, 'events', 'order.ts'), 'export {};');
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const { importer } = recordingImporter();
    const herald = await createHerald(declaredIn(join(dir, 'herald.config.ts'), { discover: ['events'] }), {
      importModule: importer,
    });
    await herald.close();
    const codes = warn.mock.calls.map((call) => (call[1] as { code?: string } | undefined)?.code);
    expect(codes).toContain('HERALD_NO_LISTENERS');
    expect(String(warn.mock.calls[codes.indexOf('HERALD_NO_LISTENERS')]?.[0])).toContain('"events"');
  });

  it('an app that only publishes events that name a stream has no listener and no warning', async () => {
    mkdirSync(join(dir, 'events'));
    writeFileSync(join(dir, 'events', 'order.ts'), 'export {};');
    @Event('published.placed', { stream: 'orders' })
    class Placed {}
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const { importer } = recordingImporter();
    const config = declaredIn(join(dir, 'herald.config.ts'), { discover: ['events'], events: [Placed] });
    await (await createHerald(config, { importModule: importer })).close();
    const codes = warn.mock.calls.map((call) => (call[1] as { code?: string } | undefined)?.code);
    expect(codes).not.toContain('HERALD_NO_LISTENERS');
  });
});
