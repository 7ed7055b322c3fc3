import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootFailure, withHerald } from '../boot/boot-helpers.js';

// Boot starts importing a manifest's modules while it checks the manifest is fresh, but only
// when the manifest was made from the same discover entries. These pin what that may and may
// not do. Each test writes its own folder, so module instances are never shared between tests.
const HERALD = JSON.stringify(fileURLToPath(new URL('../../../src/index.ts', import.meta.url)));
const EVALUATED = Symbol.for('herald.test.manifest-overlap.evaluated');
let root: string;

function write(path: string, source: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), source);
}

function sha1(path: string): string {
  return createHash('sha1')
    .update(readFileSync(join(root, path)))
    .digest('hex');
}

/** Writes .herald/manifest.json by hand: `scanned` paths missing on disk get a made-up hash. */
function writeManifest(discover: string[], scanned: string[], modules: string[]): void {
  const hash = (path: string) => {
    try {
      return sha1(path);
    } catch {
      return '0'.repeat(40);
    }
  };
  write(
    '.herald/manifest.json',
    JSON.stringify({
      version: 1,
      createdAt: new Date().toISOString(),
      discover,
      scanned: scanned.map((path) => ({ path, sha1: hash(path) })),
      modules: modules.map((path) => ({ path, classes: [] })),
    }),
  );
}

function evaluated(): string[] {
  return ((globalThis as Record<symbol, unknown>)[EVALUATED] as string[] | undefined) ?? [];
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'herald-manifest-overlap-'));
  (globalThis as Record<symbol, unknown>)[EVALUATED] = [];
  write(
    'listeners/kept.ts',
    `import { Event, Listener } from ${HERALD};
@Event('overlap.kept') export class Kept {}
@Listener(Kept) export class KeptListener { handle(): void {} }
`,
  );
  write(
    'excluded/side-effect.ts',
    `(globalThis as Record<symbol, string[]>)[Symbol.for('herald.test.manifest-overlap.evaluated')].push('side-effect');
export const loaded = true;
`,
  );
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const names = (listeners: readonly { name: string }[]) => listeners.map((info) => info.name);

describe('boot imports a manifest’s modules while checking it', () => {
  it('a module listed in a stale manifest but since removed does not fail boot: the scan decides', async () => {
    writeManifest(
      ['listeners'],
      ['listeners/gone.ts', 'listeners/kept.ts'],
      ['listeners/gone.ts', 'listeners/kept.ts'],
    );
    await withHerald({ root, discover: ['listeners'] }, (herald) => {
      expect(names(herald.getListeners('overlap.kept'))).toEqual(['KeptListener']);
    });
  });

  it('a manifest made from other discover entries has none of its modules imported', async () => {
    writeManifest(
      ['excluded', 'listeners'],
      ['excluded/side-effect.ts', 'listeners/kept.ts'],
      ['excluded/side-effect.ts', 'listeners/kept.ts'],
    );
    await withHerald({ root, discover: ['listeners'] }, (herald) => {
      expect(names(herald.getListeners('overlap.kept'))).toEqual(['KeptListener']);
    });
    expect(evaluated()).toEqual([]);
  });

  it('a fresh manifest listing a module that throws fails boot with discovery_failed naming it', async () => {
    write('listeners/throws.ts', `throw new Error('throws exploded');\n`);
    writeManifest(
      ['listeners'],
      ['listeners/kept.ts', 'listeners/throws.ts'],
      ['listeners/kept.ts', 'listeners/throws.ts'],
    );
    const error = await bootFailure({ root, discover: ['listeners'] });
    expect(error.kind).toBe('discovery_failed');
    expect(error.message).toContain(join(root, 'listeners/throws.ts'));
    expect(error.message).toContain('throws exploded');
  });
});
