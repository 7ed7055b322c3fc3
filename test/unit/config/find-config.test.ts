import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compiledEntry } from '../../../src/config/find-config.js';
import { resolveConfigFile } from '../../../src/config/load-config.js';
import { findConfigFile } from '../../../src/index.js';

// Which config a process uses: README "Running in production". The compiled-entry rule itself
// runs in real processes in test/app/production-layouts.test.ts.

describe('which config file a process loads', () => {
  let dir: string;
  let saved: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'herald-find-config-'));
    saved = process.env.HERALD_CONFIG;
    delete process.env.HERALD_CONFIG;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.HERALD_CONFIG;
    else process.env.HERALD_CONFIG = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('HERALD_CONFIG wins over the config found from the working directory; --config wins over both', () => {
    writeFileSync(join(dir, 'herald.config.ts'), 'export default {};');
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'herald.config.js'), 'export default {};');
    expect(resolveConfigFile({ cwd: dir })).toBe(join(dir, 'herald.config.ts'));
    process.env.HERALD_CONFIG = 'dist/herald.config.js';
    expect(resolveConfigFile({ cwd: dir })).toBe(join(dir, 'dist', 'herald.config.js'));
    expect(resolveConfigFile({ cwd: dir, configPath: 'herald.config.ts' })).toBe(
      join(dir, 'herald.config.ts'),
    );
  });

  it("from: import.meta.url looks from that module's folder upward", () => {
    writeFileSync(join(dir, 'herald.config.ts'), 'export default {};');
    mkdirSync(join(dir, 'dist', 'src'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'herald.config.js'), 'export default {};');
    const from = pathToFileURL(join(dir, 'dist', 'src', 'server.js')).href;
    expect(resolveConfigFile({ cwd: dir, from })).toBe(join(dir, 'dist', 'herald.config.js'));
  });

  it('a config kept in src/ (tsc rootDir "src") is found from the project root', () => {
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'herald.config.ts'), 'export default {};');
    expect(findConfigFile(dir)).toBe(join(dir, 'src', 'herald.config.ts'));
  });

  it("compiledEntry() is the app's own JavaScript entry, never a TypeScript file or a tool under node_modules", () => {
    mkdirSync(join(dir, 'dist'));
    mkdirSync(join(dir, 'node_modules', 'tool'), { recursive: true });
    for (const file of ['dist/server.js', 'server.ts', 'node_modules/tool/cli.js'])
      writeFileSync(join(dir, file), '');
    expect(compiledEntry(join(dir, 'dist', 'server.js'))).toBe(join(dir, 'dist', 'server.js'));
    expect(compiledEntry(join(dir, 'server.ts'))).toBeUndefined();
    expect(compiledEntry(join(dir, 'node_modules', 'tool', 'cli.js'))).toBeUndefined();
  });
});
