import type { Command } from 'commander';
import type { Output } from '../output.js';
import { type ClassName, type NameTarget, parseClassName } from './class-name.js';
import { type ProjectPaths, projectPaths, shown } from './project-paths.js';
import { ask, canPrompt, closePrompts } from './prompt.js';
import { checkPlan, type PlannedFile, writePlan } from './write-plan.js';

/** The project paths for a command, honouring the global `--config`. */
export function pathsFor(command: Command): Promise<ProjectPaths> {
  return projectPaths(process.cwd(), command.optsWithGlobals<{ config?: string }>().config);
}

/**
 * A missing name with no terminal to ask on is a usage error (exit 2): scripts and CI must pass
 * it. Checked before the config is loaded, so the exit code does not depend on the project.
 */
export function requireNameOrTerminal(command: Command, given: string | undefined, example: string): void {
  if (given !== undefined || canPrompt()) return;
  command.error(
    `error: missing required argument 'name' (there is no terminal to ask for it on): e.g. herald ${command.name()} ${example}`,
    { exitCode: 2, code: 'commander.missingArgument' },
  );
}

/** The class name from the command line, or asked for on the terminal when it is missing. */
export async function nameArgument(
  given: string | undefined,
  target: NameTarget & { readonly example: string },
): Promise<ClassName> {
  if (given !== undefined) return parseClassName(given, target);
  const label = `${target.what[0]?.toUpperCase()}${target.what.slice(1)}`;
  return ask(`${label} class name (e.g. ${target.example}): `, (answer) => parseClassName(answer, target));
}

/** Runs a command's work and then releases the terminal if it asked anything (else node would wait on stdin). */
export async function withPrompts(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } finally {
    closePrompts();
  }
}

/** Checks the whole plan, writes it, and says what was written. */
export function writeAndReport(files: readonly PlannedFile[], force: boolean, out: Output): void {
  checkPlan(files, force);
  for (const { file, replaced } of writePlan(files, force)) {
    const verb =
      file.update === true
        ? out.paint('yellow', 'Updated')
        : replaced
          ? out.paint('yellow', 'Overwrote')
          : out.paint('green', 'Created');
    const note =
      file.what !== 'config'
        ? ''
        : file.update === true
          ? ' (it discovers the new folder too)'
          : ' (the project had no herald config: it discovers the generated folders)';
    out.line(`${verb} ${file.what} ${shown(file.path)}${note}`);
  }
}

/** The help text every generator shows after its options: naming rules and exit codes. */
export function generatorHelp(example: string, folder: string): string {
  return `
Names: a PascalCase class name (${example}), optionally in sub-folders (Billing/${example}).
Files and sub-folders are kebab-case: Billing/${example} is written to
${folder}/billing/<kebab-name>.ts. The folder comes from "paths" in herald.config.ts, relative
to the config file (or to the working directory when there is none). Refused: empty names,
reserved words and JavaScript built-ins, absolute paths, backslashes, "." and "..", anything
that would land outside the folder. A project with no herald config also gets a
herald.config.ts that discovers the generated folders. Stubs published with
"herald stub:publish" (the project's stubs/ folder) are used instead of herald's.

Exit codes:
  0  the files were written
  1  refused, and nothing was written: a bad name (bad_name), an existing file without
     --force (file_exists), an unknown --event (unknown_event), or an invalid config or stub
  2  usage error: unknown option, or no name given and no terminal to ask on`;
}
