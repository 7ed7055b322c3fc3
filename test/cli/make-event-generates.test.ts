import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, createTempProject, REPO_ROOT, type TempProject } from '../support/temp-project.js';
import { BIOME, read, runNode, STRICT_TSCONFIG, snapshot, TSC } from './support/make-project.js';

/**
 * What `herald make:event` (and make:listener, make:subscriber) generate: the files, that they
 * compile strictly and lint clean, that the app they make boots and runs, and that a config's
 * paths are followed. The tests of the first block build on each other, in order.
 */

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
