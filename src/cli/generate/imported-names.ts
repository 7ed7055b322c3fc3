const IMPORT_CLAUSE = /^\s*import\s+(?:type\s+)?([^;'"]*?)\s+from\s+['"][^'"]+['"]/gm;

/**
 * The local names a module's `import ... from` statements bind (`import { A, type B as C } from`
 * binds A and C). Used to refuse a class name that would collide with something its own stub
 * imports: `herald make:event Event` would redeclare the imported decorator.
 */
export function importedNames(code: string): Set<string> {
  const names = new Set<string>();
  for (const match of code.matchAll(IMPORT_CLAUSE)) {
    const clause = match[1] ?? '';
    const named = /\{([^}]*)\}/.exec(clause);
    for (const entry of named?.[1]?.split(',') ?? []) {
      const local = entry
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (local) names.add(local);
    }
    const outside = clause.replace(/\{[^}]*\}/, '');
    const star = /\*\s+as\s+([A-Za-z_$][\w$]*)/.exec(outside);
    if (star?.[1] !== undefined) names.add(star[1]);
    const defaultName = /^\s*([A-Za-z_$][\w$]*)/.exec(outside);
    if (defaultName?.[1] !== undefined && star === null) names.add(defaultName[1]);
  }
  return names;
}
