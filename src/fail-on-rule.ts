// A rule code where --fail-on wants a severity (`--fail-on IM001`, `BALLAST_FAIL_ON=DL3008`): saying what the flag
// takes is not enough, the user wants that rule to fail the run, which its severity in the config does. Shared by
// the oclif commands (usage-error.ts) and lint's fast path, which does not load oclif, so both print the same line.

/** oclif's words for a value not among a flag's options: the fast path prints the same. */
export function notAnOption(source: string, value: string, options: readonly string[]): string {
  return `Expected ${source}=${value} to be one of: ${options.join(', ')}`;
}

/** The hint for `source` (`--fail-on`, `$BALLAST_FAIL_ON`) given `value`, when that value is a rule code. */
export function failOnRuleHint(source: string, value: string): string | undefined {
  if (!/^[A-Z]{2}\d{3,4}$/i.test(value)) return undefined;
  const code = value.toUpperCase();
  return `${source} takes a severity, not a rule; to fail on ${code}, raise its severity in .ballast.yaml (rules: {${code}: error})`;
}
