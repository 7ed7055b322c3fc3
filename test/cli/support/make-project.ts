import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { collect, REPO_ROOT, type TempProject } from '../../support/temp-project.js';

/**
 * What the `herald make:*` tests share: the tools generated code is checked with, a snapshot of a
 * project's files (to prove a refused command wrote nothing), and a project filled by the
 * generators (see {@link fillWithGeneratedFiles}).
 */

/** TypeScript's compiler, run on the generated project. */
export const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** Biome, run on the generated project. */
export const BIOME = join(REPO_ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');

/** The strict settings generated code must compile under (verbatimModuleSyntax off, as herald needs). */
export const STRICT_TSCONFIG = {
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
export function snapshot(dir: string): Record<string, string> {
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

/** Runs `node <args>` in the project (a tool like tsc or Biome) and collects its output. */
export function runNode(project: TempProject, args: readonly string[]) {
  return collect(spawn(process.execPath, [...args], { cwd: project.dir, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** A file of the project, as text. */
export function read(project: TempProject, path: string): string {
  return readFileSync(join(project.dir, path), 'utf8');
}

/**
 * The commands the generation tests run, in order: a project they have run in holds every kind of
 * generated file (events, listeners, subscribers, sub-folders, a config).
 */
const GENERATORS: readonly (readonly string[])[] = [
  ['make:event', 'OrderShipped', '--listener', 'SendShipmentNotification', '--queued'],
  ['make:event', 'Billing/InvoicePaid', '--listener', 'Billing/ChargeCard', '--listener', 'MailReceipt'],
  ['make:listener', 'UpdateStock', '--event', 'OrderShipped'],
  ['make:listener', 'AuditInvoice', '--event', 'Billing/InvoicePaid', '--queued'],
  ['make:listener', 'LaterSync'],
  ['make:listener', 'LaterQueued', '--queued'],
  ['make:subscriber', 'UserEventSubscriber'],
  ['make:subscriber', 'Accounts/TeamSubscriber'],
];

/**
 * Runs the generators of the generation tests in `project`, so the refusal tests meet the project
 * they met when both shared one: full of generated files, with a config. Throws if one fails.
 */
export async function fillWithGeneratedFiles(project: TempProject): Promise<void> {
  for (const args of GENERATORS) {
    const result = await project.herald(args);
    if (result.code !== 0)
      throw new Error(`herald ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  }
}
