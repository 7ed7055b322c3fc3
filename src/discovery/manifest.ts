import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { HeraldError } from '../errors.js';
import { listenerDeclarationOf } from '../listeners/decorator-declarations.js';
import { eventMetadataOf, serializableMetadataOf } from '../metadata/event-metadata.js';
import type { DiscoveredClasses } from './discover-classes.js';
import { findModuleFiles } from './find-files.js';
import { type ModuleLanguage, onlyLanguage } from './module-language.js';

/** Where `event:cache` writes the manifest, relative to the config's folder. */
export const MANIFEST_PATH = join('.herald', 'manifest.json');

/** The discovery manifest: which modules hold herald classes, and what the folders looked like. */
export interface DiscoveryManifest {
  readonly version: 1;
  readonly createdAt: string;
  /** The `discover` entries it was made from; another set makes it stale. */
  readonly discover: readonly string[];
  /** Every module file the entries matched, relative to the root, with a content hash. */
  readonly scanned: readonly { readonly path: string; readonly sha1: string }[];
  /** The modules boot imports, in discovery order, with the classes found there (for humans and tools). */
  readonly modules: readonly { readonly path: string; readonly classes: readonly ManifestClass[] }[];
}

/** One class a manifest records. */
export interface ManifestClass {
  readonly name: string;
  readonly kind: 'event' | 'serializable' | 'listener' | 'subscriber';
  readonly wireName: string | undefined;
}

/** The manifest file of a root folder. */
export function manifestFile(root: string): string {
  return resolve(root, MANIFEST_PATH);
}

// Synchronous on purpose: boot checks every scanned file, and a thousand awaited reads one after
// another cost several times the hashing itself.
function sha1(file: string): string {
  return createHash('sha1').update(readFileSync(file)).digest('hex');
}

/** Builds the manifest of a finished discovery. */
export async function buildManifest(
  discover: readonly string[],
  root: string,
  discovered: DiscoveredClasses,
): Promise<DiscoveryManifest> {
  const classesByFile = new Map<string, ManifestClass[]>();
  for (const target of [...discovered.events, ...discovered.listeners]) {
    const event = eventMetadataOf(target);
    const serializable = serializableMetadataOf(target);
    const file = event?.file ?? serializable?.file ?? listenerDeclarationOf(target)?.file;
    const kind: ManifestClass['kind'] = event
      ? 'event'
      : serializable
        ? 'serializable'
        : listenerDeclarationOf(target)
          ? 'listener'
          : 'subscriber';
    const entry = { name: target.name, kind, wireName: event?.name ?? serializable?.name };
    if (file !== undefined) classesByFile.set(file, [...(classesByFile.get(file) ?? []), entry]);
  }
  return {
    version: 1,
    createdAt: new Date().toISOString(),
    discover: [...discover],
    scanned: discovered.files.map((file) => ({ path: relative(root, file), sha1: sha1(file) })),
    modules: discovered.heraldFiles.map((file) => ({
      path: relative(root, file),
      classes: classesByFile.get(file) ?? [],
    })),
  };
}

/** Writes the manifest under the root; returns its path. */
export async function writeManifest(root: string, manifest: DiscoveryManifest): Promise<string> {
  const file = manifestFile(root);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return file;
}

/** Deletes the manifest; false when there was none. */
export async function removeManifest(root: string): Promise<boolean> {
  const file = manifestFile(root);
  try {
    await readFile(file);
  } catch {
    return false;
  }
  await rm(file, { force: true });
  return true;
}

/** Reads the manifest of a root, or undefined when there is none. Throws on a corrupt one. */
export async function readManifest(root: string): Promise<DiscoveryManifest | undefined> {
  const file = manifestFile(root);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const manifest = JSON.parse(text) as DiscoveryManifest;
    if (manifest.version !== 1 || !Array.isArray(manifest.modules) || !Array.isArray(manifest.scanned))
      throw new Error('unknown shape');
    return manifest;
  } catch (error) {
    throw new HeraldError(
      'discovery_failed',
      `The discovery manifest ${file} is unreadable (${(error as Error).message}): run herald event:cache again, or herald event:clear.`,
    );
  }
}

/**
 * Why a manifest no longer matches the files (undefined when it still does): other `discover`
 * entries, a module added or removed, or a module's content changed.
 */
export async function manifestStaleness(
  manifest: DiscoveryManifest,
  discover: readonly string[],
  root: string,
  language?: ModuleLanguage,
): Promise<string | undefined> {
  if (JSON.stringify(manifest.discover) !== JSON.stringify(discover)) return 'the discover entries changed';
  const files = (await findModuleFiles(discover, root, language)).map((file) => relative(root, file));
  // The same language rule as the scan (a manifest written by a scan that saw both x.ts and x.js).
  const kept = new Set(
    onlyLanguage(
      manifest.scanned.map((entry) => entry.path),
      language,
    ),
  );
  const scanned = manifest.scanned.filter((entry) => kept.has(entry.path));
  const cached = new Map(scanned.map((entry) => [entry.path, entry.sha1]));
  const added = files.find((file) => !cached.has(file));
  if (added !== undefined) return `${added} is new`;
  const present = new Set(files);
  const removed = scanned.find((entry) => !present.has(entry.path));
  if (removed !== undefined) return `${removed.path} was removed`;
  for (const file of files) {
    if (sha1(resolve(root, file)) !== cached.get(file)) return `${file} changed`;
  }
  return undefined;
}
