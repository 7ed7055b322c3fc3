import { HeraldError } from '../../errors.js';
import { kebabCase, pascalCaseGuess } from './kebab-case.js';
import { BUILT_IN_NAMES, RESERVED_WORDS } from './reserved-names.js';

/** A validated generator name: `Billing/InvoicePaid` is class `InvoicePaid` in folder `billing/`. */
export interface ClassName {
  /** What the user typed. */
  readonly input: string;
  /** The class identifier (the last segment). */
  readonly className: string;
  /** The file path inside the target folder, `/`-separated: `billing/invoice-paid.ts`. */
  readonly relativeFile: string;
}

/** What a name is for, to word messages: `event`, and the folder it goes to. */
export interface NameTarget {
  readonly what: string;
  /** The target folder as the user knows it (`src/events`). */
  readonly folder: string;
}

const PASCAL_CASE = /^[A-Z][A-Za-z0-9]*$/;

function refuse(input: string, target: NameTarget, problem: string): never {
  throw new HeraldError('bad_name', `Invalid ${target.what} name ${JSON.stringify(input)}: ${problem}`);
}

function suggestion(segment: string): string {
  const guess = pascalCaseGuess(segment);
  return PASCAL_CASE.test(guess) && guess !== segment ? ` (did you mean ${guess}?)` : '';
}

/**
 * Checks a generator name and maps it to a file. Names are PascalCase identifiers; a
 * `Folder/Name` sub-path puts the file in a kebab-case sub-folder of the target folder, so
 * `Billing/InvoicePaid` becomes `billing/invoice-paid.ts`. Throws `bad_name` with the reason and
 * the fix for anything else: empty names, absolute paths, backslashes, `.`/`..`, reserved words,
 * built-ins and names that are not PascalCase.
 */
export function parseClassName(input: string, target: NameTarget): ClassName {
  const example = target.what === 'event' ? 'OrderShipped' : 'SendShipmentNotification';
  if (input.trim() === '')
    refuse(input, target, `the name is empty: give a PascalCase class name, e.g. ${example}.`);
  if (input.includes('\\'))
    refuse(
      input,
      target,
      `backslashes are not allowed: separate sub-folders with /, e.g. Billing/${example}.`,
    );
  if (input.startsWith('/') || /^[A-Za-z]:/.test(input))
    refuse(
      input,
      target,
      `absolute paths are not allowed: give a class name, optionally with a sub-folder of ${target.folder}, e.g. Billing/${example}.`,
    );
  const segments = input.split('/');
  if (segments.some((segment) => segment === '..' || segment === '.'))
    refuse(
      input,
      target,
      `'.' and '..' are not allowed: the file must stay inside ${target.folder}; give e.g. Billing/${example}.`,
    );
  if (segments.some((segment) => segment === ''))
    refuse(
      input,
      target,
      `it has an empty folder name: write sub-folders as Folder/Name, e.g. Billing/${example}.`,
    );
  const className = segments[segments.length - 1] ?? '';
  if (RESERVED_WORDS.has(className))
    refuse(
      input,
      target,
      `${className} is a reserved word in JavaScript: pick another name, e.g. ${example}.`,
    );
  if (BUILT_IN_NAMES.has(className))
    refuse(
      input,
      target,
      `${className} would shadow the JavaScript built-in of that name: pick a more specific name, e.g. ${className}${target.what === 'event' ? 'Changed' : 'Handler'}.`,
    );
  for (const segment of segments) {
    if (!PASCAL_CASE.test(segment)) {
      const role = segment === className ? 'the class name' : 'the folder';
      refuse(
        input,
        target,
        `${role} ${JSON.stringify(segment)} is not PascalCase${suggestion(segment)}: use letters and digits starting with an upper-case letter, e.g. ${example}.`,
      );
    }
  }
  return {
    input,
    className,
    relativeFile: `${segments.map(kebabCase).join('/')}.ts`,
  };
}
