/**
 * Architecture rules for src/, checked by `npm run arch` (part of `npm test`).
 * Type-only imports count: a cycle of types is still two concepts that cannot be read apart.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */

// The one file outside the driver folders that may name a driver's files: the list that builds
// drivers from the config. Everything else talks to the `QueueDriver` contract (src/queue/driver.ts).
const DRIVER_LIST = '^src/queue/drivers/descriptors[.]ts$';

// app.ts is where `herald.fake()` starts the fake (src/testing/event-fake.ts, which talks to the
// dispatcher through its DispatchRecorder port). Nothing else in the core may import src/testing/.
const FAKE_STARTER = '^src/app[.]ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-file-cycles',
      comment: 'Two files that import each other (directly or through others) cannot be read apart.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment:
        'A folder that imports a folder that imports it back is one concept split in two: move the ' +
        'shared piece into the folder both can depend on (e.g. src/metadata/).',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'metadata-imports-nothing',
      comment:
        'src/metadata/ and src/errors.ts sit under everything else: decorators, the registry, ' +
        'serialization and discovery all read them, so they may import only src/metadata/.',
      severity: 'error',
      from: { path: ['^src/metadata/', '^src/errors[.]ts$'] },
      to: { path: '^src/', pathNot: '^src/metadata/' },
    },
    {
      name: 'core-never-imports-testing',
      comment: 'src/testing/ is the `herald/testing` entry: it builds on the core, never the reverse.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/testing/', FAKE_STARTER] },
      to: { path: '^src/testing/' },
    },
    {
      name: 'core-never-imports-cli',
      comment: 'src/cli/ is the `herald` binary: it builds on the core, never the reverse.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'drivers-behind-their-list',
      comment:
        "Nothing outside src/queue/drivers/<x>/ imports that driver's files, except the driver list " +
        '(src/queue/drivers/descriptors.ts); everyone else asks the QueueDriver contract, so a new ' +
        "driver lands without edits elsewhere. $1 is the importer's own driver folder " +
        '("queue/drivers/<x>/"), or empty outside the driver folders, where to.pathNot then only ' +
        'exempts files directly in src/ (never a driver file).',
      severity: 'error',
      from: { path: '^src/(queue/drivers/[^/]+/|)', pathNot: DRIVER_LIST },
      to: { path: '^src/queue/drivers/[^/]+/', pathNot: '^src/$1[^/]+$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
