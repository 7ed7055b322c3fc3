import { fileURLToPath } from 'node:url';
import { importModule, type ModuleImporter } from '../../../src/discovery/import-module.js';

/** Absolute path of a fixture folder (or file) under test/fixtures/discovery. */
export function fixture(path: string): string {
  return fileURLToPath(new URL(`../../fixtures/discovery/${path}`, import.meta.url));
}

/** herald's own importer, recording every file discovery asks it to import. */
export function spyImporter(): { importer: ModuleImporter; imported: string[] } {
  const imported: string[] = [];
  return {
    imported,
    importer: (file) => {
      imported.push(file);
      return importModule(file);
    },
  };
}
