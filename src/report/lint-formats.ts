// The names `lint --format` takes, apart from the reporters that render them (reporters/index.ts loads one by name):
// the config's validation and hadolint's flags check a name without loading the reporters.

/** ballast's own report formats, in the order help and errors list them; reporters/index.ts has one for each. */
export const FORMAT_NAMES = [
  'stylish',
  'json',
  'sarif',
  'github',
  'checkstyle',
  'junit',
  'codeclimate',
  'sonarqube',
  'gnu',
  'codacy',
  'tty',
] as const;

export type FormatName = (typeof FORMAT_NAMES)[number];

/**
 * hadolint's `--format` names for the formats ballast has under its own name, so a CI job or pre-commit hook moved over
 * from hadolint keeps its format: `gitlab_codeclimate` is the GitLab Code Quality array. (Its `tty` has a reporter of
 * its own: its line format is what tools parse.)
 */
export const HADOLINT_FORMATS: Readonly<Record<string, string>> = { gitlab_codeclimate: 'codeclimate' };

/** The names `lint --format` accepts: ballast's, then hadolint's for the same formats. */
export const lintFormatNames: string[] = [...FORMAT_NAMES, ...Object.keys(HADOLINT_FORMATS)];

/** The reporter a `lint --format` name means. */
export function lintFormat(name: string): string {
  return HADOLINT_FORMATS[name] ?? name;
}
