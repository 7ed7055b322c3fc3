const compiled = new Map<string, RegExp>();

/** Whether a listener pattern can match more than one wire name. */
export function isWildcard(pattern: string): boolean {
  return pattern.includes('*');
}

/**
 * Laravel's `Str::is` semantics: `*` matches any run of characters, dots included, so
 * `orders.*` matches `orders.shipped` and `orders.line.added`, and `*` matches everything.
 */
export function wildcardMatches(pattern: string, name: string): boolean {
  if (!isWildcard(pattern)) return pattern === name;
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    const source = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&'))
      .join('.*');
    regex = new RegExp(`^${source}$`, 's');
    compiled.set(pattern, regex);
  }
  return regex.test(name);
}
