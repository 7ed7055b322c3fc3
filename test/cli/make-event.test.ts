import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, createTempProject, REPO_ROOT, type TempProject } from '../support/temp-project.js';

const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const BIOME = join(REPO_ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');

/** The strict settings generated code must compile under (verbatimModuleSyntax off, as herald needs). */
const STRICT_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    verbatimModuleSyntax: false,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  },
  include: ['src', 'herald.config.ts'],
};

/** Every file of a project (but node_modules) with its content: "nothing was written" compares these. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(dir, path)] = entry.isSymbolicLink() ? '<link>' : readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}

function runNode(project: TempProject, args: readonly string[]) {
  return collect(spawn(process.execPath, [...args], { cwd: project.dir, stdio: ['ignore', 'pipe', 'pipe'] }));
}

function read(project: TempProject, path: string): string {
  return readFileSync(join(project.dir, path), 'utf8');
}

describe('herald make:event (real binary, a project outside the repo)', () => {
  let project: TempProject;

  beforeAll(() => {
    project = createTempProject('herald-make');
  });
  afterAll(() => project.remove());

  it('make:event --listener --queued in an empty project, then event:list shows the pair (the issue\'s "done when")', async () => {
    const made = await project.herald([
      'make:event',
      'OrderShipped',
      '--listener',
      'SendShipmentNotification',
      '--queued',
    ]);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(made.stdout).toContain('Created event src/events/order-shipped.ts');
    expect(made.stdout).toContain('Created listener src/listeners/send-shipment-notification.ts');
    expect(made.stdout).toContain('Created config herald.config.ts');

    const listener = read(project, 'src/listeners/send-shipment-notification.ts');
    expect(listener).toContain("import { OrderShipped } from '../events/order-shipped.js';");
    expect(listener).toContain('@Listener(OrderShipped, { queue: true, tries: 3, backoff: [1000, 5000] })');
    expect(listener).toContain('async handle(event: OrderShipped): Promise<void>');
    expect(read(project, 'src/events/order-shipped.ts')).toContain(
      "@Event('OrderShipped')\nexport class OrderShipped extends Dispatchable {",
    );

    const listed = await project.herald(['event:list']);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toBe(
      [
        'OrderShipped  src/events/order-shipped.ts',
        '  1. SendShipmentNotification  memory:default  tries 3, backoff 1000ms, 5000ms',
        '',
      ].join('\n'),
    );
  });

  it('every generated variant compiles under strict tsc and passes Biome with no diagnostics at all', async () => {
    const commands = [
      ['make:event', 'Billing/InvoicePaid', '--listener', 'Billing/ChargeCard', '--listener', 'MailReceipt'],
      ['make:listener', 'UpdateStock', '--event', 'OrderShipped'],
      ['make:listener', 'AuditInvoice', '--event', 'Billing/InvoicePaid', '--queued'],
      ['make:listener', 'LaterSync'],
      ['make:listener', 'LaterQueued', '--queued'],
      ['make:subscriber', 'UserEventSubscriber'],
      ['make:subscriber', 'Accounts/TeamSubscriber'],
    ];
    for (const args of commands) {
      const result = await project.herald(args);
      expect(result.stderr, args.join(' ')).toBe('');
      expect(result.code, args.join(' ')).toBe(0);
    }
    expect(read(project, 'src/listeners/billing/charge-card.ts')).toContain(
      "import { InvoicePaid } from '../../events/billing/invoice-paid.js';",
    );
    expect(read(project, 'src/listeners/mail-receipt.ts')).toContain(
      "import { InvoicePaid } from '../events/billing/invoice-paid.js';",
    );
    expect(read(project, 'src/listeners/billing/charge-card.ts')).toContain(
      'handle(event: InvoicePaid): void',
    );

    project.write('tsconfig.json', JSON.stringify(STRICT_TSCONFIG, null, 2));
    const tsc = await runNode(project, [TSC, '-p', '.']);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);

    const lint = await runNode(project, [
      BIOME,
      'lint',
      '--error-on-warnings',
      '--max-diagnostics=50',
      'src',
      'herald.config.ts',
    ]);
    expect(lint.stderr + lint.stdout).not.toMatch(/lint\//);
    expect(lint.code).toBe(0);
    expect(lint.stdout + lint.stderr).toContain('Checked 12 files');
  }, 60_000);

  it('the generated app boots with discover, dispatches, and runs the filled-in listeners (placeholders never run)', async () => {
    for (const [file, tag] of [
      ['src/listeners/send-shipment-notification.ts', 'queued'],
      ['src/listeners/update-stock.ts', 'sync'],
      ['src/listeners/billing/charge-card.ts', 'sync'],
    ] as const) {
      const source = read(project, file).replace(
        '    void event;',
        `    appendFileSync('ran.log', \`${tag} \${this.constructor.name} \${event.constructor.name}\\n\`);`,
      );
      project.write(file, `import { appendFileSync } from 'node:fs';\n${source}`);
    }
    project.write(
      'dispatch.ts',
      `import { createHerald, loadConfig } from 'herald';
import { InvoicePaid } from './src/events/billing/invoice-paid.js';
import { OrderShipped } from './src/events/order-shipped.js';
const { config } = await loadConfig();
const herald = await createHerald(config);
await herald.dispatch(new OrderShipped());
await InvoicePaid.dispatch();
await herald.drain();
await herald.close();
`,
    );
    const result = await project.script('dispatch.ts');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(read(project, 'ran.log').trim().split('\n').sort()).toEqual([
      'queued SendShipmentNotification OrderShipped',
      'sync ChargeCard InvoicePaid',
      'sync UpdateStock OrderShipped',
    ]);
  }, 30_000);

  it('refuses bad names with exit 1, says why and how to fix it, and writes nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['make:event', ''], /Invalid event name "": the name is empty: give a PascalCase class name/],
      [['make:event', 'class'], /"class": class is a reserved word in JavaScript: pick another name/],
      [['make:event', 'Infinity'], /Infinity is a reserved word/],
      [['make:event', 'Promise'], /Promise would shadow the JavaScript built-in .*pick a more specific name/],
      [['make:event', 'Event'], /"Event": herald's event.stub imports Event too: pick another name/],
      [['make:event', 'orderShipped'], /"orderShipped" is not PascalCase \(did you mean OrderShipped\?\)/],
      [['make:event', 'order-shipped.ts'], /is not PascalCase \(did you mean OrderShipped\?\)/],
      [['make:event', 'Order_Shipped'], /is not PascalCase/],
      [['make:event', 'billing/Paid'], /the folder "billing" is not PascalCase/],
      [
        ['make:event', '../Escaped'],
        /'\.' and '\.\.' are not allowed: the file must stay inside src\/events/,
      ],
      [['make:event', 'Billing/../../Escaped'], /'\.' and '\.\.' are not allowed/],
      [['make:event', '/tmp/Escaped'], /absolute paths are not allowed/],
      [['make:event', 'C:/Escaped'], /absolute paths are not allowed/],
      [['make:event', 'Billing\\Escaped'], /backslashes are not allowed: separate sub-folders with \//],
      [['make:event', 'Billing//Escaped'], /empty folder name/],
      [['make:event', 'Billing/'], /empty folder name/],
      [['make:event', 'Fine', '--listener', 'bad name'], /Invalid listener name "bad name"/],
      [
        ['make:event', 'Fine', '--listener', 'Fine'],
        /a listener cannot have its event's name: pick another, e.g. HandleFine/,
      ],
      [
        ['make:event', 'Fine', '-l', 'Twice', '-l', 'Twice'],
        /would both write src\/listeners\/twice\.ts: give distinct names/,
      ],
      [
        ['make:event', 'Fine', '-l', 'ABTest', '-l', 'AbTest'],
        /would both write src\/listeners\/ab-test\.ts/,
      ],
    ];
    const before = snapshot(project.dir);
    // In parallel: none of them may write, so they cannot disturb each other.
    const results = await Promise.all(cases.map(([args]) => project.herald(args)));
    results.forEach((result, index) => {
      const [args, message] = cases[index] ?? [[], /^$/];
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stdout).toBe('');
    });
    expect(snapshot(project.dir)).toEqual(before);
  }, 60_000);

  it('refuses symlinks that lead outside the target folder: a linked sub-folder, a linked or dangling file', async () => {
    const outside = join(tmpdir(), `herald-outside-${process.pid}-${Date.now()}`);
    mkdirSync(outside);
    symlinkSync(outside, join(project.dir, 'src', 'events', 'linked'), 'dir');
    const before = snapshot(project.dir);
    const result = await project.herald(['make:event', 'Linked/Escaped']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'src/events/linked links outside src/events, so linked/escaped.ts would be written outside it: replace the link with a folder',
    );
    expect(readdirSync(outside)).toEqual([]);
    expect(snapshot(project.dir)).toEqual(before);
    // A linked file, even with --force, and a dangling link (writing would create its target).
    writeFileSync(join(outside, 'target.ts'), '// outside\n');
    symlinkSync(join(outside, 'target.ts'), join(project.dir, 'src', 'listeners', 'linked-file.ts'));
    symlinkSync(join(outside, 'missing.ts'), join(project.dir, 'src', 'listeners', 'dangling.ts'));
    const snapshotWithLinks = snapshot(project.dir);
    for (const name of ['LinkedFile', 'Dangling']) {
      const forced = await project.herald(['make:listener', name, '--force']);
      expect(forced.code).toBe(1);
      expect(forced.stderr).toMatch(
        /is a link to a file outside src\/listeners: remove the link, or choose another name/,
      );
    }
    expect(readFileSync(join(outside, 'target.ts'), 'utf8')).toBe('// outside\n');
    expect(readdirSync(outside)).toEqual(['target.ts']);
    expect(snapshot(project.dir)).toEqual(snapshotWithLinks);
    for (const link of ['src/events/linked', 'src/listeners/linked-file.ts', 'src/listeners/dangling.ts'])
      rmSync(join(project.dir, link));
    rmSync(outside, { recursive: true });
  });

  it('never overwrites without --force: one existing file refuses the whole command (exit 1, nothing written)', async () => {
    writeFileSync(join(project.dir, 'src/listeners/update-stock.ts'), '// mine\n');
    const before = snapshot(project.dir);
    const result = await project.herald(['make:event', 'StockLow', '-l', 'NotifyBuyer', '-l', 'UpdateStock']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'herald: src/listeners/update-stock.ts already exists: nothing was written. Pass --force to overwrite, or choose another name.\n',
    );
    expect(snapshot(project.dir)).toEqual(before);
  });

  it('--force overwrites existing files with fresh ones from the stubs', async () => {
    const result = await project.herald([
      'make:event',
      'StockLow',
      '-l',
      'NotifyBuyer',
      '-l',
      'UpdateStock',
      '--force',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Created event src/events/stock-low.ts');
    expect(result.stdout).toContain('Overwrote listener src/listeners/update-stock.ts');
    expect(read(project, 'src/listeners/update-stock.ts')).toContain('@Listener(StockLow)');
  });

  it('usage errors exit 2 and write nothing: no name without a terminal, --queued alone, unknown options', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['make:event'],
        /missing required argument 'name' \(there is no terminal to ask for it on\): e\.g\. herald make:event OrderShipped/,
      ],
      [
        ['make:event', 'Fine', '--queued'],
        /--queued makes the --listener listeners queued: pass --listener <name> too/,
      ],
      [['make:event', 'Fine', '--nope'], /unknown option '--nope'/],
      [['make:event', 'Fine', 'Extra'], /too many arguments/],
      [['make:event', 'Fine', '--listener'], /argument missing/],
    ];
    const before = snapshot(project.dir);
    for (const [args, message] of cases) {
      const result = await project.herald(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
    expect(snapshot(project.dir)).toEqual(before);
  });

  it('--help documents the naming rules and exit codes', async () => {
    const result = await project.herald(['make:event', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: herald make:event [options] [name]');
    expect(result.stdout).toContain('--listener <name>');
    expect(result.stdout).toContain('--queued');
    expect(result.stdout).toContain('--force');
    expect(result.stdout).toContain('Billing/OrderShipped');
    expect(result.stdout).toMatch(/1 +refused, and nothing was written/);
    expect(result.stdout).toMatch(/2 +usage error/);
  });
});

describe('herald make:event with a config', () => {
  it("writes to the config's paths, relative to the config file, from a sub-folder, and does not add a config", async () => {
    const project = createTempProject('herald-make-paths');
    try {
      project.write(
        'herald.config.ts',
        `import { defineConfig } from 'herald';
export default defineConfig({ paths: { events: 'app/domain/events', listeners: 'app/handlers' } });
`,
      );
      mkdirSync(join(project.dir, 'deep', 'er'), { recursive: true });
      const result = await collect(
        spawn(
          process.execPath,
          [join(REPO_ROOT, 'dist/cli/bin.js'), 'make:event', 'Billing/InvoicePaid', '-l', 'Charge'],
          {
            cwd: join(project.dir, 'deep', 'er'),
            env: { ...process.env, NO_COLOR: '1' },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        ),
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).not.toContain('config');
      expect(Object.keys(snapshot(project.dir)).sort()).toEqual([
        'app/domain/events/billing/invoice-paid.ts',
        'app/handlers/charge.ts',
        'herald.config.ts',
        'package.json',
      ]);
      expect(read(project, 'app/handlers/charge.ts')).toContain(
        "import { InvoicePaid } from '../domain/events/billing/invoice-paid.js';",
      );
    } finally {
      project.remove();
    }
  });
});
