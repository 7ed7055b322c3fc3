import { describe, expect, it } from 'vitest';
import type { Herald } from '../../../src/index.js';
import { BasicPing } from '../../fixtures/discovery/basic/events.js';
import { ExportedListener } from '../../fixtures/discovery/basic/listeners/exported-listener.js';
import { bootFailure, withHerald } from '../boot/boot-helpers.js';
import { fixture, spyImporter } from './discovery-helpers.js';

function listenerNames(herald: Herald): string[] {
  return herald
    .getListeners('basic.ping')
    .map((info) => info.name)
    .sort();
}

describe('discover: folders and globs, relative to root', () => {
  it('a folder finds every listener under it, exported or not', async () => {
    await withHerald({ root: fixture('basic'), discover: ['listeners'] }, (herald) => {
      expect(listenerNames(herald)).toEqual(['ExportedListener', 'HiddenListener']);
    });
  });

  it('a glob finds the listeners it matches and no others', async () => {
    await withHerald({ root: fixture('basic'), discover: ['listeners/exported-*.ts'] }, (herald) => {
      expect(listenerNames(herald)).toEqual(['ExportedListener']);
    });
    await withHerald({ root: fixture('basic'), discover: ['**/hidden-*.ts'] }, (herald) => {
      expect(listenerNames(herald)).toEqual(['HiddenListener']);
    });
  });

  it('a glob written with a leading ./ works like one without', async () => {
    await withHerald({ root: fixture('basic'), discover: ['./listeners/*.ts'] }, (herald) => {
      expect(listenerNames(herald)).toEqual(['ExportedListener', 'HiddenListener']);
    });
  });

  it('entries resolve against root, not the working directory', async () => {
    // The same folder named from the parent root.
    await withHerald({ root: fixture('.'), discover: ['basic/listeners'] }, (herald) => {
      expect(listenerNames(herald)).toEqual(['ExportedListener', 'HiddenListener']);
    });
  });

  it('a single file entry is discovered', async () => {
    await withHerald({ root: fixture('basic'), discover: ['listeners/hidden-listener.ts'] }, (herald) =>
      expect(listenerNames(herald)).toEqual(['HiddenListener']),
    );
  });

  it('an absolute folder entry ignores root', async () => {
    await withHerald({ root: fixture('ordering'), discover: [fixture('basic/listeners')] }, (herald) => {
      expect(listenerNames(herald)).toEqual(['ExportedListener', 'HiddenListener']);
    });
  });

  it('modules without decorated classes are imported and contribute nothing', async () => {
    const spy = spyImporter();
    await withHerald(
      { root: fixture('basic'), discover: ['helpers'] },
      (herald) => {
        expect(spy.imported).toEqual([fixture('basic/helpers/plain.ts')]);
        // eventClasses() first: the queries below register the event they are asked about.
        expect(herald.eventClasses()).toEqual([]);
        expect(herald.hasListeners(BasicPing)).toBe(false);
      },
      { importModule: spy.importer },
    );
  });

  it('discovered @Event classes are registered even when nothing listens to them', async () => {
    await withHerald({ root: fixture('basic'), discover: ['events.ts'] }, (herald) => {
      expect(herald.eventClasses().map((event) => event.name)).toEqual(['BasicPing']);
    });
  });

  it('a glob like **/* imports only modules, not other files it matches', async () => {
    const spy = spyImporter();
    await withHerald(
      { root: fixture('basic'), discover: ['**/*'] },
      (herald) => {
        expect(listenerNames(herald)).toEqual(['ExportedListener', 'HiddenListener']);
        // Not notes.md, not listeners/types.d.ts.
        expect(spy.imported).toEqual(
          [
            'basic/events.ts',
            'basic/helpers/plain.ts',
            'basic/listeners/exported-listener.ts',
            'basic/listeners/hidden-listener.ts',
          ].map(fixture),
        );
      },
      { importModule: spy.importer },
    );
  });
});

describe('discover together with listeners', () => {
  it('a class both discovered and listed in config is registered once', async () => {
    await withHerald(
      { root: fixture('basic'), discover: ['listeners'], listeners: [ExportedListener] },
      (herald) => expect(listenerNames(herald)).toEqual(['ExportedListener', 'HiddenListener']),
    );
  });
});

describe('discover entries that do not exist', () => {
  it('a missing folder fails boot with config_invalid naming the entry', async () => {
    const error = await bootFailure({ root: fixture('basic'), discover: ['listeners', 'no-such-folder'] });
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain('"no-such-folder"');
    expect(error.message).toContain(fixture('basic/no-such-folder'));
  });

  it('a missing file fails boot with config_invalid naming the entry', async () => {
    const error = await bootFailure({ root: fixture('basic'), discover: ['listeners/gone.ts'] });
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain('"listeners/gone.ts"');
  });
});

describe('discovery and wire names', () => {
  it('two discovered @Event classes with one wire name fail with duplicate_name naming both files', async () => {
    const error = await bootFailure({ root: fixture('duplicate-events'), discover: ['.'] });
    expect(error.kind).toBe('duplicate_name');
    expect(error.message).toContain('FirstShipped');
    expect(error.message).toContain('SecondShipped');
    expect(error.message).toContain(fixture('duplicate-events/first-shipped.ts'));
    expect(error.message).toContain(fixture('duplicate-events/second-shipped.ts'));
  });
});
