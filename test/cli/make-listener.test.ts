import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, createTempProject, HERALD_BIN, type TempProject } from '../support/temp-project.js';

function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}

const ESCAPE_CODES = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

// A hand-written events module that does not follow the one-class-per-kebab-file convention.
const HAND_WRITTEN_EVENTS = `import { Event } from 'herald';

@Event('users.registered')
export class UserRegistered {
  constructor(readonly id: string) {}
}

export class NotAnEvent {}

@Event('users.deleted')
export class UserDeleted {}
`;

describe('herald make:listener (real binary, a project outside the repo)', () => {
  let project: TempProject;

  const read = (path: string) => readFileSync(join(project.dir, path), 'utf8');

  beforeAll(async () => {
    project = createTempProject('herald-make-listener');
    project.write('src/events/users.ts', HAND_WRITTEN_EVENTS);
    project.write(
      'src/events/admin/user-deleted.ts',
      "import { Event } from 'herald';\n\n@Event('admin.user-deleted')\nexport class UserDeleted {}\n",
    );
    const made = await project.herald(['make:event', 'Billing/InvoicePaid']);
    expect(made.code).toBe(0);
  });
  afterAll(() => project.remove());

  it('--event writes the typed stub, importing the event by its relative .js path', async () => {
    const result = await project.herald([
      'make:listener',
      'Billing/SendInvoice',
      '--event',
      'Billing/InvoicePaid',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The generated config (make:event wrote it, discovering src/events) gains src/listeners.
    expect(result.stdout).toBe(
      'Created listener src/listeners/billing/send-invoice.ts\nUpdated config herald.config.ts (it discovers the new folder too)\n',
    );
    expect(read('src/listeners/billing/send-invoice.ts')).toBe(
      `import { Listener } from 'herald';
import { InvoicePaid } from '../../events/billing/invoice-paid.js';

/** SendInvoice: runs inside \`dispatch\`, in order with the other sync listeners of InvoicePaid. */
@Listener(InvoicePaid)
export class SendInvoice {
  handle(event: InvoicePaid): void {
    // TODO: react to the event. (\`void event\` only marks the parameter used until you do.)
    void event;
  }
}
`,
    );
  });

  it('--event finds a hand-written event by class name in any file of the events folder', async () => {
    const result = await project.herald([
      'make:listener',
      'WelcomeUser',
      '--event',
      'UserRegistered',
      '--queued',
    ]);
    expect(result.code).toBe(0);
    const source = read('src/listeners/welcome-user.ts');
    expect(source).toContain("import { UserRegistered } from '../events/users.js';");
    expect(source).toContain('@Listener(UserRegistered, { queue: true, tries: 3, backoff: [1000, 5000] })');
    expect(source).toContain('async handle(event: UserRegistered): Promise<void>');
  });

  it('an ambiguous --event is refused until a sub-path picks one', async () => {
    const before = snapshot(project.dir);
    const ambiguous = await project.herald(['make:listener', 'Purge', '--event', 'UserDeleted']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain(
      'Several events are named UserDeleted (src/events/admin/user-deleted.ts, src/events/users.ts): pass the sub-path, e.g. --event Folder/UserDeleted.',
    );
    expect(snapshot(project.dir)).toEqual(before);
    const picked = await project.herald(['make:listener', 'Purge', '--event', 'Admin/UserDeleted']);
    expect(picked.code).toBe(0);
    expect(read('src/listeners/purge.ts')).toContain(
      "import { UserDeleted } from '../events/admin/user-deleted.js';",
    );
  });

  it('without --event writes a listener that listens to a placeholder no event has (sync or queued)', async () => {
    expect((await project.herald(['make:listener', 'Later'])).code).toBe(0);
    expect((await project.herald(['make:listener', 'LaterQueued', '--queued'])).code).toBe(0);
    expect(read('src/listeners/later.ts')).toContain("@Listener('todo:Later')\nexport class Later {");
    expect(read('src/listeners/later-queued.ts')).toContain(
      "@Listener('todo:LaterQueued', { queue: true, tries: 3, backoff: [1000, 5000] })",
    );
    // It boots with the rest and shows under no event.
    const listed = await project.herald(['event:list', '--json']);
    expect(listed.code).toBe(0);
    const names = (JSON.parse(listed.stdout) as { listeners: { name: string }[] }[]).flatMap((event) =>
      event.listeners.map((listener) => listener.name),
    );
    expect(names).not.toContain('Later');
    expect(names).toContain('WelcomeUser');
  });

  it('refusals exit 1, name the problem and the fix, and write nothing', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['make:listener', 'Notify', '--event', 'Nope'],
        /No @Event class Nope in src\/events \(looked for src\/events\/nope\.ts; known: InvoicePaid, UserDeleted, UserRegistered\): create it with herald make:event Nope/,
      ],
      [['make:listener', 'Notify', '--event', 'NotAnEvent'], /No @Event class NotAnEvent/],
      [
        ['make:listener', 'Notify', '--event', '../Outside'],
        /Invalid event name "\.\.\/Outside": '\.' and '\.\.' are not allowed/,
      ],
      [
        ['make:listener', 'InvoicePaid', '--event', 'Billing/InvoicePaid'],
        /a listener cannot have its event's name: pick another, e.g. HandleInvoicePaid/,
      ],
      [['make:listener', 'Listener'], /herald's listener.stub imports Listener too/],
      [['make:listener', 'yield'], /yield is a reserved word/],
      [
        ['make:listener', 'Later'],
        /src\/listeners\/later\.ts already exists: nothing was written\. Pass --force to overwrite/,
      ],
      [['make:listener', '../../Evil'], /the file must stay inside src\/listeners/],
    ];
    const before = snapshot(project.dir);
    const results = await Promise.all(cases.map(([args]) => project.herald(args)));
    results.forEach((result, index) => {
      const [args, message] = cases[index] ?? [[], /^$/];
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(message);
    });
    expect(snapshot(project.dir)).toEqual(before);
  });

  it('--force replaces an existing listener', async () => {
    const result = await project.herald(['make:listener', 'Later', '--event', 'UserRegistered', '--force']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Overwrote listener src/listeners/later.ts\n');
    expect(read('src/listeners/later.ts')).toContain('@Listener(UserRegistered)');
  });

  it('without a name and without a terminal it is a usage error (exit 2), as is an unknown option', async () => {
    const before = snapshot(project.dir);
    const missing = await project.herald(['make:listener', '--event', 'UserRegistered']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      "error: missing required argument 'name' (there is no terminal to ask for it on): e.g. herald make:listener SendShipmentNotification",
    );
    const unknown = await project.herald(['make:listener', 'X', '--evnt', 'UserRegistered']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--evnt'");
    expect(snapshot(project.dir)).toEqual(before);
  });

  it('on a terminal it asks for the name (again when invalid) and the event, listing the known ones', async () => {
    // `script` gives the CLI a pseudo-terminal; the answers are typed ahead and must not be lost.
    const child = spawn(
      'script',
      [
        '-qec',
        `${JSON.stringify(process.execPath)} ${JSON.stringify(HERALD_BIN)} make:listener`,
        '/dev/null',
      ],
      { cwd: project.dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    child.stdin?.write('bad-name\nAskedFor\nNope\nUserRegistered\n');
    const result = await collect(child, 15_000);
    expect(result.code).toBe(0);
    // What a user would see: without readline's cursor codes and the terminal's carriage returns.
    const screen = result.stdout.replace(ESCAPE_CODES, '').replace(/\r/g, '');
    expect(screen).toContain('Listener class name (e.g. SendShipmentNotification): ');
    expect(screen).toContain('"bad-name" is not PascalCase (did you mean BadName?)');
    expect(screen).toContain(
      'Event it handles (known: InvoicePaid, UserDeleted, UserRegistered; leave empty to choose later): ',
    );
    expect(screen).toContain('No @Event class Nope in src/events');
    expect(screen).toContain('Created listener src/listeners/asked-for.ts');
    expect(read('src/listeners/asked-for.ts')).toContain('@Listener(UserRegistered)');
  }, 30_000);

  it('--help documents --event, --queued, --force, the placeholder listener and exit codes', async () => {
    const result = await project.herald(['make:listener', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: herald make:listener [options] [name]');
    expect(result.stdout).toContain('-e, --event <event>');
    expect(result.stdout).toContain("'todo:<Name>'");
    expect(result.stdout).toMatch(/0 +the files were written/);
    expect(result.stdout).toMatch(/unknown --event \(unknown_event\)/);
  });
});
