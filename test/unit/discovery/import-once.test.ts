import { describe, expect, it } from 'vitest';
// Imported here too: discovery's import must land on this same module instance, not a second copy.
import { BasicPing } from '../../fixtures/discovery/basic/events.js';
import { importCounts, takeRuns } from '../../fixtures/discovery/probe.js';
import { withHerald } from '../boot/boot-helpers.js';
import { fixture, spyImporter } from './discovery-helpers.js';

const BASIC_MODULES = [
  'basic/events.ts',
  'basic/helpers/plain.ts',
  'basic/listeners/exported-listener.ts',
  'basic/listeners/hidden-listener.ts',
];

describe('discovery imports every module exactly once', () => {
  it('each module is evaluated once, even when entries overlap', async () => {
    const spy = spyImporter();
    // '.', 'listeners' and the glob all name the two listener modules.
    await withHerald(
      { root: fixture('basic'), discover: ['.', 'listeners', 'listeners/*.ts', 'events.ts'] },
      async (herald) => {
        expect(spy.imported).toEqual(BASIC_MODULES.map(fixture));
        expect(herald.eventClasses()).toEqual([BasicPing]);
        const counts = importCounts();
        for (const module of BASIC_MODULES) expect(counts[module], module).toBe(1);
        // And each listener is registered once: one dispatch, one run each.
        takeRuns();
        await herald.dispatch(new BasicPing());
        expect(takeRuns().sort()).toEqual(['ExportedListener', 'HiddenListener']);
      },
      { importModule: spy.importer },
    );
  });

  it('a second app discovering the same folder reuses the loaded modules and finds the same classes', async () => {
    await withHerald({ root: fixture('basic'), discover: ['.'] }, async (first) => {
      await withHerald({ root: fixture('basic'), discover: ['.'] }, async (second) => {
        for (const module of BASIC_MODULES) expect(importCounts()[module], module).toBe(1);
        expect(second.eventClasses()).toEqual(first.eventClasses());
        const names = (herald: typeof first) =>
          herald
            .getListeners('basic.ping')
            .map((info) => info.name)
            .sort();
        expect(names(second)).toEqual(['ExportedListener', 'HiddenListener']);
        expect(names(first)).toEqual(names(second));
      });
    });
  });
});
