/**
 * Architecture rules for src/, checked by `npm run arch` (part of `npm test`).
 * Type-only imports count: a cycle of types is still two concepts that cannot be read apart.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */

// The one file outside a driver's folder that may name the BullMQ driver's files: the place
// that builds drivers from the config. Everything else talks to the `QueueDriver` contract.
const BULLMQ_DRIVER_REGISTRY = '^src/queue/driver-descriptors[.]ts$';

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
      name: 'bullmq-driver-behind-its-registry',
      comment:
        'Only the driver registry names the BullMQ driver; everyone else asks the QueueDriver ' +
        'contract, so a new driver lands without edits elsewhere.',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: ['^src/queue/bullmq/', BULLMQ_DRIVER_REGISTRY],
      },
      to: { path: '^src/queue/bullmq/' },
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
