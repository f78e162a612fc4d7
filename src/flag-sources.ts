// Where a flag's value came from, as errors and reports name it. Shared by the oclif commands (BaseCommand.sourceOf)
// and lint's own argument parser, which does not load oclif.

/** Names a flag by where its value was set: `--top`, or `$BALLAST_TOP` when only the variable set it. */
export type SourceOf = (name: string) => string;

/** The name of a flag when nothing says otherwise: services called without a command (tests, the API) use it. */
export const asTyped: SourceOf = (name) => `--${name}`;

/** A command's flags: each one's BALLAST_* variable, and its one-letter form. */
export type FlagDefinitions = Record<string, { env?: string; char?: string }>;

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
