import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/** The names Debian, Ubuntu and other distributions give the Chromium binary. */
const NAMES = ['chromium', 'chromium-browser'] as const;

/**
 * The Chromium binary on the PATH. The browser tests drive the system's Chromium through
 * playwright-core, never a browser Playwright downloads (`playwright install` needs a download
 * host; a distribution package is what CI installs: see .ci/run).
 *
 * @throws Error naming the package to install when no Chromium is on the PATH.
 */
export function chromiumPath(path: string = process.env.PATH ?? ''): string {
  for (const folder of path.split(delimiter).filter((each) => each !== '')) {
    for (const name of NAMES) {
      const candidate = join(folder, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not here: try the next name and folder.
      }
    }
  }
  throw new Error(
    `The dashboard's browser tests need Chromium, and neither ${NAMES.join(' nor ')} is on the PATH. ` +
      'Install it: apt-get install chromium (Debian), apt-get install chromium-browser (Ubuntu), brew install --cask chromium (macOS).',
  );
}

/**
 * Launches the system Chromium headless. `--no-sandbox`: CI containers run as root, where
 * Chromium's sandbox refuses to start; the pages it opens are our own test servers.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'], headless: true });
}
