import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chromiumPath } from '../../support/browser.js';

describe('the browser tests find Chromium on the PATH', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const folder = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-chromium-'));
    dirs.push(dir);
    return dir;
  };

  it('chromiumPath() - takes chromium or chromium-browser from the first PATH folder with an executable one', () => {
    const [empty, ubuntu] = [folder(), folder()];
    writeFileSync(join(empty, 'chromium'), 'not executable');
    writeFileSync(join(ubuntu, 'chromium-browser'), '#!/bin/sh\n');
    chmodSync(join(ubuntu, 'chromium-browser'), 0o755);
    expect(chromiumPath([empty, ubuntu].join(delimiter))).toBe(join(ubuntu, 'chromium-browser'));
  });

  it('chromiumPath() - without one, throws naming the package to install', () => {
    expect(() => chromiumPath(folder())).toThrow(
      /neither chromium nor chromium-browser is on the PATH.*apt-get install chromium/,
    );
  });
});
