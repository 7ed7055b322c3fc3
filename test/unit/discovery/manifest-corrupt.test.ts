import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootFailure } from '../boot/boot-helpers.js';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'herald-manifest-corrupt-'));
  mkdirSync(join(root, 'listeners'));
  mkdirSync(join(root, '.herald'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('a corrupt discovery manifest', () => {
  for (const [what, text] of [
    ['not JSON', '{ "version": 1, '],
    ['an unknown shape', JSON.stringify({ version: 2, modules: [], scanned: [] })],
  ] as const) {
    it(`createHerald() - a manifest that is ${what} fails boot with discovery_failed (not config_invalid), naming the file and the fix`, async () => {
      writeFileSync(join(root, '.herald/manifest.json'), text);
      const error = await bootFailure({ root, discover: ['listeners'] });
      expect(error.kind).toBe('discovery_failed');
      expect(error.message).toContain(join(root, '.herald/manifest.json'));
      expect(error.message).toContain('herald event:cache');
    });
  }
});
