import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHerald, type HeraldConfig } from '../../../src/index.js';
import { bootFailure } from './boot-helpers.js';

const SRC = join(import.meta.dirname, '../../../src/index.js');

// A TypeScript source and the JavaScript tsc would compile it to, in one fake project (its own
// package.json): src/events/order-placed.ts and dist/src/events/order-placed.js. Each test makes a
// new project; the copies an earlier test loaded belong to another package and are not twins.
const SOURCE = `import { Event } from ${JSON.stringify(SRC)};
@Event('orders.placed')
export class OrderPlaced { constructor(readonly id: string) {} }
`;
const COMPILED = `import { Event } from ${JSON.stringify(SRC)};
export class OrderPlaced { constructor(id) { this.id = id; } }
Event('orders.placed')(OrderPlaced);
`;

function declaredIn(file: string, config: HeraldConfig): HeraldConfig {
  Object.defineProperty(config, Symbol.for('herald.configFile'), { value: file, enumerable: false });
  return config;
}

describe('a module loaded twice (a .ts source and its compiled .js) is named as such', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'herald-twice-'));
    mkdirSync(join(dir, 'src', 'events'), { recursive: true });
    mkdirSync(join(dir, 'dist', 'src', 'events'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    writeFileSync(join(dir, 'src', 'events', 'order-placed.ts'), SOURCE);
    writeFileSync(join(dir, 'dist', 'src', 'events', 'order-placed.js'), COMPILED);
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    vi.restoreAllMocks();
  });

  it('boot fails with duplicate_name saying which source and which compiled copy were both loaded, and the fix', async () => {
    await import(pathToFileURL(join(dir, 'dist', 'src', 'events', 'order-placed.js')).href);
    const error = await bootFailure(declaredIn(join(dir, 'herald.config.ts'), { discover: ['src/events'] }));
    expect(error.kind).toBe('duplicate_name');
    expect(error.message).toContain('OrderPlaced was loaded twice');
    expect(error.message).toContain(`TypeScript source ${join(dir, 'src', 'events', 'order-placed.ts')}`);
    expect(error.message).toContain(`compiled copy ${join(dir, 'dist', 'src', 'events', 'order-placed.js')}`);
    expect(error.message).toContain('HERALD_CONFIG');
    expect(error.message).not.toContain('Give one of them its own name');
  });

  it('a copy loaded after boot and dispatched gets the same message at dispatch', async () => {
    const herald = await createHerald(
      declaredIn(join(dir, 'herald.config.ts'), { discover: ['src/events'] }),
    );
    try {
      const compiled = (await import(
        pathToFileURL(join(dir, 'dist', 'src', 'events', 'order-placed.js')).href
      )) as {
        OrderPlaced: new (id: string) => object;
      };
      await expect(herald.dispatch(new compiled.OrderPlaced('o-1'))).rejects.toThrow(
        /OrderPlaced was loaded twice \(both claim the wire name "orders\.placed"\)/,
      );
    } finally {
      await herald.close();
    }
  });
});
