// Where a flag's value came from, as errors and reports name it. Shared by the oclif commands (BaseCommand.sourceOf)
// and lint's own argument parser, which does not load oclif.

/** Names a flag by where its value was set: `--top`, or `$BALLAST_TOP` when only the variable set it. */
export type SourceOf = (name: string) => string;

/** The name of a flag when nothing says otherwise: services called without a command (tests, the API) use it. */
export const asTyped: SourceOf = (name) => `--${name}`;

/** A command's flags (oclif's definitions): each one's BALLAST_* variable, and how it may be typed. */
export type FlagDefinitions = Record<
  string,
  { env?: string; char?: string; type?: string; allowNo?: boolean; aliases?: string[]; charAliases?: string[] }
>;

/**
 * Names a flag's value by where it was set: `--name` when the command line has the flag (`typed`; it wins over the
 * variable) or the flag has no variable, else its variable (`$BALLAST_TOP`), so a value nobody typed is traced to
 * the environment that set it.
 */
export function flagSources(typed: Set<string>, definitions: FlagDefinitions): SourceOf {
  return (name) => {
    const env = definitions[name]?.env;
    return typed.has(name) || !env ? `--${name}` : `$${env}`;
  };
}

/**
 * The flags a command line types, read as oclif 4's parser reads it (so a typed flag is never taken for one left to
 * its variable, nor the other way round): `--name`, `--name=value`, an alias, `--no-name` only where the flag allows
 * it, never a prefix (`--form` is no flag); `-c value`, `-cvalue`, `-c=value`; on/off switches bundled (`-Vfjson` is
 * -V then -f json); an option's next word is its value unless that word is itself a flag; nothing after `--`.
 * Needed before oclif parses (and when it refuses the line), where its own record of the flags is not there.
 */
export function typedIn(argv: string[], definitions: FlagDefinitions): Set<string> {
  const aliases = new Map<string, string>();
  for (const [name, flag] of Object.entries(definitions))
    for (const alias of [...(flag.aliases ?? []), ...(flag.charAliases ?? [])]) aliases.set(alias, name);
  const find = (arg: string): { name?: string; long: boolean } => {
    if (arg.startsWith('--')) {
      const word = arg.slice(2);
      if (definitions[word]) return { name: word, long: true };
      if (aliases.has(word)) return { name: aliases.get(word), long: true };
      if (word.startsWith('no-')) {
        const name = definitions[word.slice(3)] ? word.slice(3) : aliases.get(word.slice(3));
        const flag = name === undefined ? undefined : definitions[name];
        if (flag?.type === 'boolean' && flag.allowNo) return { name, long: true };
      }
      return { long: true };
    }
    if (!arg.startsWith('-') || arg.length < 2) return { long: false };
    const c = arg[1];
    const name = aliases.get(c) ?? Object.keys(definitions).find((k) => definitions[k].char === c);
    return { name, long: false };
  };
  const typed = new Set<string>();
  const words = [...argv];
  // One flag word; false when it is no flag of the command. `--name=value` and `-c=value` as oclif splits them.
  const flagWord = (arg: string): boolean => {
    const { name, long } = find(arg);
    if (name === undefined) {
      const eq = arg.indexOf('=');
      if (eq === -1) return false;
      words.unshift(arg.slice(eq + 1));
      const found = flagWord(arg.slice(0, eq));
      if (!found) words.shift();
      return found;
    }
    typed.add(name);
    if (definitions[name].type === 'boolean') {
      if (!long && arg.length > 2) words.unshift(`-${arg.slice(2)}`);
    } else if ((long || arg.length < 3) && words.length > 0 && find(words[0]).name === undefined) {
      words.shift();
    }
    return true;
  };
  while (words.length > 0) {
    const word = words.shift()!;
    if (word === '--') break;
    if (word.startsWith('-') && word !== '-') flagWord(word);
  }
  return typed;
}
