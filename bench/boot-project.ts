/**
 * The generated app of bench/boot.ts: a throwaway project outside the repo with `herald`,
 * `inversify` and `@types/node` linked into its node_modules (as test/support/temp-project.ts
 * does), 500 event modules, 500 listener modules (one event each; every 4th queued, every 3rd
 * with a constructor-injected service), 100 helper modules without herald classes inside the
 * discovered folders, 10 services bound by the config, and a tsconfig that compiles it all to
 * `build/` with decorator metadata. Beside it, `plain/`: the same event, listener, helper and
 * service modules with the decorator lines removed, the baseline a decorated app is compared
 * with, compiled twice: as tsc emits it (`build/elided/plain/`: imports that only types use are
 * dropped, so a listener module imports nothing) and with every import kept
 * (`build/plain/`, `verbatimModuleSyntax`: the imports decorator metadata needs at run time).
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the herald package). */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

const DOMAINS = [
  'orders',
  'users',
  'billing',
  'inventory',
  'shipping',
  'catalog',
  'support',
  'marketing',
  'accounts',
  'reports',
] as const;
const SERVICES = 10;

/** Sizes of the generated app. */
export interface AppShape {
  readonly events: number;
  /** Helper modules (no herald classes) spread over the discovered folders. */
  readonly helpers: number;
}

/** A generated project: where it is and what it holds. */
export interface BootProject {
  readonly dir: string;
  /** Where tsc writes the compiled app (with its own herald.config.js). */
  readonly buildDir: string;
  /** The tsconfigs of the plain twin: imports kept (`build/plain/`), elided (`build/elided/plain/`). */
  readonly plainTsconfigs: readonly string[];
  /** The plain twin's discovered-folder equivalents, relative to the build folder: imports kept. */
  readonly plainFolders: readonly string[];
  /** The same, as tsc emits them without decorators (imports only types use dropped). */
  readonly elidedFolders: readonly string[];
  /**
   * The app's own compiled discovered folders, decorators and all, relative to the build folder:
   * (d) imports them in parallel without booting, the floor of any boot that imports them.
   */
  readonly decoratedFolders: readonly string[];
  /** Module files under the discovered folders (events + listeners + helpers). */
  readonly scannedModules: number;
  /** Modules that declare herald classes (what the manifest lists). */
  readonly heraldModules: number;
  /** Events whose listener is sync and injected, and one queued and injected: dispatched as a check. */
  readonly checkEvents: readonly string[];
}

const pascal = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const pad = (n: number) => String(n).padStart(3, '0');

function eventName(i: number): { domain: string; className: string; file: string } {
  const domain = DOMAINS[i % DOMAINS.length] ?? 'misc';
  return { domain, className: `${pascal(domain)}Event${pad(i)}`, file: `${domain}-event-${pad(i)}` };
}

/**
 * Counts the module's evaluation: the probe reads how many app modules a boot loaded (a scan
 * loads the helpers too, a manifest does not) without wrapping herald's importer, which would
 * take herald off the batched import a real app gets (src/discovery/import-batch.ts).
 */
const COUNT_EVALUATION = `const evaluated = globalThis as { __bootBenchModules?: number };
evaluated.__bootBenchModules = (evaluated.__bootBenchModules ?? 0) + 1;
`;

function eventModule(i: number): string {
  const { domain, className } = eventName(i);
  return `import { Dispatchable, Event } from 'herald';

${COUNT_EVALUATION}
/** Something happened in ${domain} (generated event #${i}). */
@Event('${domain}.event-${pad(i)}')
export class ${className} extends Dispatchable {
  constructor(
    readonly id: string,
    readonly amount: number,
    readonly occurredAt: Date,
  ) {
    super();
  }

  /** A label for logs. */
  get label(): string {
    return \`${domain}.event-${pad(i)}:\${this.id}\`;
  }

  /** Whether the amount is over a limit. */
  isLarge(limit = 1000): boolean {
    return this.amount > limit;
  }
}
`;
}

function listenerModule(i: number): string {
  const { domain, className, file } = eventName(i);
  const queued = i % 4 === 0;
  const injected = i % 3 === 0;
  const service = `Service${i % SERVICES}`;
  const options = queued ? `, { queue: '${domain}', tries: 3, backoff: 1000 }` : '';
  const imports = [
    `import { Listener, type ListenerContext } from 'herald';`,
    `import { ${className} } from '../../events/${domain}/${file}.js';`,
    ...(injected ? [`import { ${service} } from '../../services/service-${i % SERVICES}.js';`] : []),
  ];
  const body = injected
    ? `  constructor(private readonly service: ${service}) {}

  handle(event: ${className}, ctx: ListenerContext): void {
    this.service.record(\`\${ctx.eventName}:\${event.id}:\${ctx.attempt}\`);
  }`
    : `  #seen = 0;

  handle(event: ${className}, ctx: ListenerContext): void {
    if (event.isLarge()) this.#seen += ctx.attempt;
  }`;
  return `${imports.join('\n')}

${COUNT_EVALUATION}
/** ${queued ? 'Queued: handles' : 'Handles'} ${className}${injected ? ` with ${service}` : ''}. */
@Listener(${className}${options})
export class Handle${className} {
${body}
}
`;
}

function helperModule(domain: string, k: number): string {
  const rates = Array.from({ length: 12 }, (_, j) => `  C${j}: ${(1 + ((k + j) % 7) / 10).toFixed(2)},`);
  return `/** ${domain} helpers (no herald classes: the manifest does not list this module). */

${COUNT_EVALUATION}
const RATES: Record<string, number> = {
${rates.join('\n')}
};

export function formatAmount${k}(amount: number, currency = 'C0'): string {
  const rate = RATES[currency] ?? 1;
  return \`\${(amount * rate).toFixed(2)} \${currency}\`;
}

export function slug${k}(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export const ${domain.toUpperCase()}_CODES_${k} = Object.freeze(Object.keys(RATES).map((code) => slug${k}(code)));
`;
}

function serviceModule(s: number): string {
  return `/** An app service bound as a singleton by the config and injected into listeners. */
export class Service${s} {
  readonly entries: string[] = [];

  record(entry: string): void {
    this.entries.push(entry);
    const counter = globalThis as { __bootBenchHandled?: number };
    counter.__bootBenchHandled = (counter.__bootBenchHandled ?? 0) + 1;
  }
}
`;
}

function configModule(): string {
  const services = Array.from({ length: SERVICES }, (_, s) => s);
  return `import { defineConfig } from 'herald';
import { Container } from 'inversify';
${services.map((s) => `import { Service${s} } from './src/services/service-${s}.js';`).join('\n')}

export default defineConfig({
  discover: ['src/events', 'src/listeners'],
  container: () => {
    const container = new Container({ autobind: true });
${services.map((s) => `    container.bind(Service${s}).toSelf().inSingletonScope();`).join('\n')}
    return container;
  },
  queue: {
    default: 'memory',
    connections: { memory: { driver: 'memory', concurrency: 5 } },
  },
});
`;
}

/** The module without its decorator lines: same classes, same imports. */
function withoutDecorators(source: string): string {
  return source
    .split('\n')
    .filter((line) => !/^@(Event|Listener)\(/.test(line))
    .join('\n');
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    useDefineForClassFields: false,
    skipLibCheck: true,
    outDir: 'build',
    rootDir: '.',
  },
  include: ['herald.config.ts', 'src'],
};

// The plain twin, emitted next to the app's build: imports kept even where only types use them.
const PLAIN_TSCONFIG = {
  extends: './tsconfig.json',
  compilerOptions: { verbatimModuleSyntax: true },
  include: ['plain'],
};
// And as tsc emits it by default.
const ELIDED_TSCONFIG = {
  extends: './tsconfig.json',
  compilerOptions: { outDir: 'build/elided' },
  include: ['plain'],
};

/** Writes the project under the OS temp folder; remove `dir` when done. */
export function createBootProject(shape: AppShape): BootProject {
  const dir = mkdtempSync(join(tmpdir(), 'herald-boot-bench-'));
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'herald'), 'dir');
  for (const dependency of ['inversify', '@types/node']) {
    symlinkSync(join(REPO_ROOT, 'node_modules', dependency), join(dir, 'node_modules', dependency), 'dir');
  }
  write(
    'package.json',
    `${JSON.stringify({ name: 'boot-bench-app', private: true, type: 'module' }, null, 2)}\n`,
  );
  write('tsconfig.json', `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  write('tsconfig.plain.json', `${JSON.stringify(PLAIN_TSCONFIG, null, 2)}\n`);
  write('tsconfig.elided.json', `${JSON.stringify(ELIDED_TSCONFIG, null, 2)}\n`);
  write('herald.config.ts', configModule());
  const app = (path: string, source: string) => {
    write(`src/${path}`, source);
    write(`plain/${path}`, withoutDecorators(source));
  };
  for (let s = 0; s < SERVICES; s++) app(`services/service-${s}.ts`, serviceModule(s));
  for (let i = 0; i < shape.events; i++) {
    const { domain, file } = eventName(i);
    app(`events/${domain}/${file}.ts`, eventModule(i));
    app(`listeners/${domain}/handle-${file}.ts`, listenerModule(i));
  }
  for (let h = 0; h < shape.helpers; h++) {
    const domain = DOMAINS[h % DOMAINS.length] ?? 'misc';
    const folder = h % 2 === 0 ? 'events' : 'listeners';
    app(`${folder}/${domain}/helpers/helper-${pad(h)}.ts`, helperModule(domain, h));
  }
  return {
    dir,
    buildDir: join(dir, 'build'),
    plainTsconfigs: [join(dir, 'tsconfig.plain.json'), join(dir, 'tsconfig.elided.json')],
    plainFolders: ['plain/events', 'plain/listeners'],
    elidedFolders: ['elided/plain/events', 'elided/plain/listeners'],
    decoratedFolders: ['src/events', 'src/listeners'],
    scannedModules: shape.events * 2 + shape.helpers,
    heraldModules: shape.events * 2,
    // #3: sync listener with an injected service; #0: queued, injected.
    checkEvents: [3, 0].filter((i) => i < shape.events).map((i) => eventName(i).className),
  };
}
