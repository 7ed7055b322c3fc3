import { HeraldError } from '../../errors.js';
import type { ClassName } from './class-name.js';
import type { FoundEvent } from './find-events.js';
import { importSpecifier } from './import-specifier.js';
import { importedNames } from './imported-names.js';
import { type ProjectPaths, shown } from './project-paths.js';
import { renderStub, type StubValues } from './render-stub.js';
import { describeStub, type LoadedStub, loadStub, type StubName } from './stubs.js';
import { pathInside } from './target-path.js';
import type { PlannedFile } from './write-plan.js';

function render(stub: LoadedStub, name: ClassName, what: string, values: StubValues): string {
  const content = renderStub(stub, values);
  // The stub's own imports are fixed text, so a class named like one of them (`make:event
  // Event`, or a listener named after its event) would be a duplicate declaration.
  if (importedNames(content).has(name.className)) {
    const fix =
      values.event === name.className
        ? `a listener cannot have its event's name: pick another, e.g. Handle${name.className}`
        : `${describeStub(stub)} imports ${name.className} too: pick another name, e.g. ${name.className}${what === 'event' ? 'Happened' : 'Handler'}`;
    throw new HeraldError('bad_name', `Invalid ${what} name ${JSON.stringify(name.input)}: ${fix}.`);
  }
  return content;
}

/** The event file for a name. */
export function planEvent(paths: ProjectPaths, name: ClassName): PlannedFile {
  const path = pathInside(paths.events, name.relativeFile, shown(paths.events));
  const stub = loadStub('event', paths.stubs);
  return {
    path,
    what: 'event',
    content: render(stub, name, 'event', { class: name.className, wireName: name.className }),
  };
}

/**
 * The listener file for a name: bound to `event` (typed stub, importing the event by its
 * relative `.js` specifier) or, without one, the untyped stub; queued or sync.
 */
export function planListener(
  paths: ProjectPaths,
  name: ClassName,
  options: { readonly event?: FoundEvent | undefined; readonly queued: boolean },
): PlannedFile {
  const path = pathInside(paths.listeners, name.relativeFile, shown(paths.listeners));
  const { event } = options;
  const stubName: StubName = `listener${event === undefined ? '' : '.typed'}${options.queued ? '.queued' : ''}`;
  const values: StubValues =
    event === undefined
      ? { class: name.className }
      : { class: name.className, event: event.className, eventImport: importSpecifier(path, event.file) };
  return {
    path,
    what: 'listener',
    content: render(loadStub(stubName, paths.stubs), name, 'listener', values),
  };
}

/** The subscriber file for a name. */
export function planSubscriber(paths: ProjectPaths, name: ClassName): PlannedFile {
  const path = pathInside(paths.subscribers, name.relativeFile, shown(paths.subscribers));
  const stub = loadStub('subscriber', paths.stubs);
  return { path, what: 'subscriber', content: render(stub, name, 'subscriber', { class: name.className }) };
}

export { planConfig } from './plan-config.js';
