import { describe, expect, it } from 'vitest';
// Imported before any discovery on purpose: b-listeners' classes are decorated first in this
// process, so an order taken from decoration (or import) order rather than sorted files would put
// Zulu and Alpha ahead of a-listeners' classes.
import { Alpha, Zulu } from '../../fixtures/discovery/ordering/b-listeners.js';
import { Tick } from '../../fixtures/discovery/ordering/event.js';
import { takeRuns } from '../../fixtures/discovery/probe.js';
import { withHerald } from '../boot/boot-helpers.js';
import { fixture } from './discovery-helpers.js';

const DISCOVERY_ORDER = ['a/Yankee', 'a/Bravo', 'b/Zulu', 'b/Alpha', 'nested/c/Nested'];

describe('discovery order: sorted files, then declaration order in each file', () => {
  it('listeners of one event without `order` run in discovery order', async () => {
    expect([Zulu.name, Alpha.name]).toEqual(['Zulu', 'Alpha']);
    await withHerald({ root: fixture('ordering'), discover: ['.'] }, async (herald) => {
      takeRuns();
      await herald.dispatch(new Tick());
      expect(takeRuns()).toEqual(DISCOVERY_ORDER);
      expect(herald.getListeners(Tick).map((info) => info.name)).toEqual([
        'Yankee',
        'Bravo',
        'Zulu',
        'Alpha',
        'Nested',
      ]);
    });
  });

  it('the order of discover entries does not matter: files are sorted as a whole', async () => {
    await withHerald(
      { root: fixture('ordering'), discover: ['nested', 'b-listeners.ts', '*.ts'] },
      async (herald) => {
        takeRuns();
        await herald.dispatch(new Tick());
        expect(takeRuns()).toEqual(DISCOVERY_ORDER);
      },
    );
  });
});
