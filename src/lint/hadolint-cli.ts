// hadolint's command-line flags and HADOLINT_* environment variables, read as ballast settings so a CI job or pre-commit
// hook moved over from hadolint keeps working unchanged. Both `lint` paths (the oclif command and the fast path) parse
// them with the functions here, so they cannot drift apart.
// hadolint merges its sources in this order, each over the one before: environment, config file, command line; lists
// (ignored codes, trusted registries, required labels) accumulate across all three.
import { UsageError } from '../errors.js';
import { notAnOption } from '../fail-on-rule.js';
import { didYouMeanValue } from '../flag-suggest.js';
import { codesFor, ruleCodesFor, type ConfigOutput, type LintSettings } from '../config/load.js';
import type { RunConfigOutput } from '../services/lint.js';
import { LABEL_SCHEMA_IDS, LABEL_TYPES, type LabelType } from '../config/schema.js';
import type { RuleMeta, Severity, SeveritySetting } from '../report/types.js';
import { truthy as isTruthy } from './helpers.js';
import { FORMAT_NAMES, lintFormat, lintFormatNames } from '../report/lint-formats.js';
import { defaultFormatNote } from '../note.js';

/** One source's hadolint settings (the environment, or the command line). */
export interface HadolintLayer {
  /** From the failure threshold (HADOLINT_FAILURE_THRESHOLD, -t/--failure-threshold). */
  failOn?: Severity | 'none';
  /** no-fail, apart from the threshold: turning it off leaves the threshold in force. */
  noFail?: boolean;
  overrides: [id: string, severity: Severity][];
  ignore: string[];
  trustedRegistries: string[];
  labelSchema: Record<string, LabelType>;
  strictLabels?: boolean;
  disableIgnorePragma?: boolean;
}

/** The severities hadolint's overrides set (HADOLINT_OVERRIDE_ERROR, --error ...). */
const LEVELS: Severity[] = ['error', 'warning', 'info', 'style'];

/** The hint of lint's usage errors, as the oclif command words it. */
export const LINT_HELP_HINT = 'run `ballast lint --help` for its flags and arguments';

export const HADOLINT_THRESHOLDS = ['error', 'warning', 'info', 'style', 'ignore', 'none'] as const;

/** hadolint's failure threshold as ballast's fail-on level: its `ignore` is below style, so everything reported fails. */
export function failOnFromThreshold(threshold: string, what: string): Severity | 'none' {
  if (!(HADOLINT_THRESHOLDS as readonly string[]).includes(threshold))
    throw new UsageError(`${what} "${threshold}" is not one of ${HADOLINT_THRESHOLDS.join(', ')}`, {
      code: 'usage',
      hint: 'pick a threshold from the list',
    });
  return threshold === 'ignore' ? 'style' : (threshold as Severity | 'none');
}

function parseLabels(specs: string[], what: string): Record<string, LabelType> {
  const schema: Record<string, LabelType> = {};
  for (const spec of specs) {
    const at = spec.lastIndexOf(':');
    const label = spec.slice(0, at);
    const type = spec.slice(at + 1);
    if (at <= 0 || !(LABEL_TYPES as readonly string[]).includes(type))
      throw new UsageError(`${what} ${spec} is not LABEL:FORMAT`, {
        code: 'usage',
        hint: `FORMAT is one of ${LABEL_TYPES.join(', ')}, e.g. org.opencontainers.image.version:semver`,
      });
    schema[label] = type as LabelType;
  }
  return schema;
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * One value of a list flag (comma-separated, as the variable's): an empty entry is refused. It was dropped before, and
 * a typo (`--trusted-registry ""`, `--error a,,b`) left a rule off or set less than was typed, silently.
 */
const flagList =
  (flag: string, what: string, hint: string) =>
  (value: string): string[] => {
    const names = value.split(',').map((s) => s.trim());
    if (names.some((name) => name === ''))
      throw new UsageError(`--${flag} ${JSON.stringify(value)} has an empty ${what}`, { code: 'usage', hint });
    return names;
  };

const registryList = flagList(
  'trusted-registry',
  'registry name',
  'give registry hosts such as docker.io, quay.io or *.example.com, comma-separated or one a flag; * trusts every registry',
);

/** A boolean variable: unset (or empty) is undefined, so a lower source's setting stands. */
const truthy = (value: string | undefined): boolean | undefined =>
  value === undefined || value === '' ? undefined : isTruthy(value);

/** The HADOLINT_* environment variables (bad values are usage errors naming the variable). */
export function hadolintEnvLayer(env: NodeJS.ProcessEnv): HadolintLayer {
  const threshold = env.HADOLINT_FAILURE_THRESHOLD?.trim();
  return {
    failOn: threshold ? failOnFromThreshold(threshold.toLowerCase(), 'HADOLINT_FAILURE_THRESHOLD') : undefined,
    noFail: truthy(env.HADOLINT_NOFAIL),
    overrides: LEVELS.flatMap((level) =>
      list(env[`HADOLINT_OVERRIDE_${level.toUpperCase()}`]).map((id): [string, Severity] => [id, level]),
    ),
    ignore: list(env.HADOLINT_IGNORE),
    trustedRegistries: list(env.HADOLINT_TRUSTED_REGISTRIES),
    labelSchema: parseLabels(list(env.HADOLINT_REQUIRE_LABELS), 'HADOLINT_REQUIRE_LABELS'),
    strictLabels: truthy(env.HADOLINT_STRICT_LABELS),
    disableIgnorePragma: truthy(env.HADOLINT_DISABLE_IGNORE_PRAGMA),
  };
}

/**
 * The HADOLINT_* variables that configure rules (overrides, ignored codes, trusted registries, required labels, ignore
 * pragmas), for `ci`'s lint step: a hadolint job moved into `ci` keeps its CI settings. Not the failure threshold
 * (HADOLINT_FAILURE_THRESHOLD, HADOLINT_NOFAIL): the gate's failOn decides what fails, for Dockerfile and image
 * findings alike, as a .hadolint.yaml's failure-threshold does not apply in `ci` either, and the environment is below
 * the file. Nor the format or colour, which `ci`'s reports own.
 */
export function hadolintRuleEnvLayer(env: NodeJS.ProcessEnv): HadolintLayer {
  const { HADOLINT_FAILURE_THRESHOLD: _threshold, HADOLINT_NOFAIL: _noFail, ...rules } = env;
  return hadolintEnvLayer(rules);
}

/** hadolint's flags for node:util's parseArgs (the fast path); the oclif command declares the same names. */
export const HADOLINT_FLAG_TYPES = {
  'failure-threshold': { type: 'string', short: 't' },
  'no-fail': { type: 'boolean' },
  error: { type: 'string', multiple: true },
  warning: { type: 'string', multiple: true },
  info: { type: 'string', multiple: true },
  style: { type: 'string', multiple: true },
  'trusted-registry': { type: 'string', multiple: true },
  'require-label': { type: 'string', multiple: true },
  'strict-labels': { type: 'boolean' },
  'disable-ignore-pragma': { type: 'boolean' },
  'no-color': { type: 'boolean' },
  verbose: { type: 'boolean', short: 'V' },
  'file-path-in-report': { type: 'string' },
} as const;

/**
 * Whether hadolint's --no-color, the config file's `no-color` or HADOLINT_NOCOLOR turns colour off, in hadolint's order:
 * the flag, then the file, then the environment (ballast's NO_COLOR is read with the terminal). A flag typed off
 * (`--no-color=false`) decides as much as one typed on: the command line is above the file and the variable.
 */
export function hadolintNoColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, config?: boolean): boolean {
  return (flag ?? config ?? truthy(env.HADOLINT_NOCOLOR)) === true;
}

/**
 * Whether hadolint's -V/--verbose, the config file's `verbose` or HADOLINT_VERBOSE asks for what is linted, with which
 * config, on stderr (the same order as hadolintNoColor).
 */
export function hadolintVerbose(flag: boolean | undefined, env: NodeJS.ProcessEnv, config?: boolean): boolean {
  return (flag ?? config ?? truthy(env.HADOLINT_VERBOSE)) === true;
}

const CONFIG_KEYS: Record<keyof ConfigOutput, { name: string; flag: string }> = {
  format: { name: 'format', flag: '--format' },
  noColor: { name: 'no-color', flag: '--no-color' },
  verbose: { name: 'verbose', flag: '--verbose' },
};

/**
 * The note for output settings the run's config files disagree on (one line, or undefined): the run cannot follow
 * them all, so it takes the command line's, the environment's or the default, and says so. Settings the command line
 * gives (`given`) are left out: the configs would not have decided them anyway.
 */
export function configOutputNote(
  output: RunConfigOutput,
  given: { [key in keyof ConfigOutput]?: boolean },
): string | undefined {
  const open = output.disagree.filter((d) => !given[d.key]);
  if (open.length === 0) return undefined;
  const what = open.map(({ key, values }) => {
    const each = values.map(({ config, value }) => `${config}: ${value ?? 'unset'}`).join(', ');
    return `${CONFIG_KEYS[key].name} (${each})`;
  });
  const flags = open.map((d) => CONFIG_KEYS[d.key].flag).join(' or ');
  return (
    `the config files of these Dockerfiles disagree on ${what.join('; ')}, which applies to the whole run: ` +
    `it is taken from the command line, the environment or the default instead (pass ${flags} to choose)`
  );
}

/**
 * The formats that exit 0 whatever is found, as in hadolint, where a Codacy run wants the report, not a verdict. Not
 * the Code Quality formats: ballast's `codeclimate` (a GitLab array, not hadolint's Code Climate engine output of that
 * name) keeps ballast's exit codes for the pipelines that gate on it, and hadolint's own `gitlab_codeclimate` is not
 * among its always-0 formats.
 */
export const REPORT_ONLY_FORMATS: readonly string[] = ['codacy'];

/**
 * The fail-on level the run sets over every config: none with hadolint's --no-fail, else ballast's --fail-on (or
 * BALLAST_FAIL_ON). Not with hadolint's -t/--failure-threshold: that goes in the command line's hadolint layer
 * (hadolintFlagLayer), over the config's and the environment's threshold but not over their no-fail, a setting of its
 * own in hadolint (`HADOLINT_NOFAIL=1 ... -t warning` still exits 0); it wins over ballast's --fail-on and variable.
 */
export function hadolintFailOn(
  noFail: boolean | undefined,
  threshold: string | undefined,
  failOn: string | undefined,
): Severity | 'none' | undefined {
  if (noFail) return 'none';
  if (threshold !== undefined) return undefined;
  return failOn as Severity | 'none' | undefined;
}

/**
 * HADOLINT_FORMAT, trimmed, empty (or blank) being unset as for every other HADOLINT_* variable (and BALLAST_FORMAT): a
 * CI file's `HADOLINT_FORMAT: ${{ inputs.format }}` left blank was refused as a format neither tool has, and `' json'`
 * was refused where HADOLINT_FAILURE_THRESHOLD=' error' is taken.
 */
function hadolintFormatVariable(env: NodeJS.ProcessEnv): string | undefined {
  return env.HADOLINT_FORMAT?.trim() || undefined;
}

/**
 * The report format a lint run asked for: ballast's own (`own`: --format, or BALLAST_FORMAT), else the run's config file's
 * `format` (`config`: the file and its value, when every Dockerfile's config agrees on one), else HADOLINT_FORMAT (below
 * the file, as hadolint ranks its environment), else stylish. A name neither tool has is a usage error naming the
 * setting it came from. `named` is the name as given (the exit code of hadolint's report-only formats depends on it),
 * `format` the reporter it means.
 */
export function lintFormatOf(
  own: string | undefined,
  env: NodeJS.ProcessEnv,
  config?: string,
  /** How errors name `own`: --format, or $BALLAST_FORMAT when the variable set it. */
  ownSource = '--format',
): { named: string; format: string } {
  const named = own ?? config ?? hadolintFormatVariable(env) ?? 'stylish';
  if (!lintFormatNames.includes(named)) {
    // A flag's or its variable's value: oclif's own line (its parser refuses it before the command runs), so the
    // fast path prints what the oclif path does.
    if (own !== undefined)
      throw new UsageError(notAnOption(ownSource, named, lintFormatNames), {
        code: 'usage',
        hint: didYouMeanValue(named, lintFormatNames, LINT_HELP_HINT),
      });
    const source = config !== undefined ? "the config file's format" : 'HADOLINT_FORMAT';
    throw new UsageError(`${source} "${named}" is not one of ${lintFormatNames.join(', ')}`, {
      code: 'usage',
      hint: 'pick a format from the list',
    });
  }
  return { named, format: lintFormat(named) };
}

/**
 * What a lint run prints with, once its config files are read: the format (lintFormatOf, with the configs' agreed
 * `format`), whether hadolint's settings turn colour off (hadolintNoColor), and the note for the output settings the
 * configs disagree on that the command line does not decide. Both lint paths, the fast one and oclif's, ask this one
 * function, so they print the same.
 */
export function lintRunOutput(
  output: RunConfigOutput,
  run: {
    format?: string;
    json?: boolean;
    noColor?: boolean;
    output?: string;
    verbose?: boolean;
    /** Whether --format or --json was typed, not set by a variable: then `-o FILE`'s name gets no note. */
    typed?: boolean;
  },
  env: NodeJS.ProcessEnv,
): { named: string; format: string; noColor: boolean; note?: string; outputNote?: string } {
  const { agreed } = output;
  const chosen = lintFormatOf(run.format, env, agreed.format);
  return {
    ...chosen,
    noColor: hadolintNoColor(run.noColor, env, agreed.noColor),
    note: configOutputNote(output, {
      format: run.format !== undefined || run.json === true,
      noColor: run.noColor !== undefined || run.output !== undefined || run.json === true,
      verbose: run.verbose !== undefined,
    }),
    outputNote: run.output && !run.typed ? lintOutputNote(run.output, chosen, run, env, agreed.format) : undefined,
  };
}

/**
 * `lint -o report.xml` wrote the stylish report there with no word, though lint writes JUnit and Checkstyle XML: the
 * note the other commands give (defaultFormatNote), naming what set the format when something did (a variable, the
 * config file) rather than lint's default.
 */
function lintOutputNote(
  path: string,
  chosen: { named: string; format: string },
  run: { format?: string; json?: boolean },
  env: NodeJS.ProcessEnv,
  config: string | undefined,
): string | undefined {
  const setBy = run.json
    ? '$BALLAST_CONTENT_TYPE=json'
    : run.format !== undefined
      ? `$BALLAST_FORMAT=${run.format}`
      : config !== undefined
        ? `the config file's format: ${config}`
        : hadolintFormatVariable(env) !== undefined
          ? `$HADOLINT_FORMAT=${hadolintFormatVariable(env)}`
          : undefined;
  return defaultFormatNote(path, FORMAT_NAMES, run.json ? 'json' : chosen.format, setBy, 'pass', (f) =>
    f === 'json' ? '--format json (or --json)' : `--format ${f}`,
  );
}

/** The flag values hadolint's command line has and ballast's does not (its --ignore, -f and -c are ballast's own). */
export interface HadolintFlagValues {
  error?: string[];
  warning?: string[];
  info?: string[];
  style?: string[];
  'trusted-registry'?: string[];
  'require-label'?: string[];
  'strict-labels'?: boolean;
  'disable-ignore-pragma'?: boolean;
  'no-fail'?: boolean;
  'failure-threshold'?: string;
}

export function hadolintFlagLayer(values: HadolintFlagValues): HadolintLayer {
  const threshold = values['failure-threshold'];
  return {
    failOn: threshold !== undefined ? failOnFromThreshold(threshold, '--failure-threshold') : undefined,
    // On, the run's --fail-on is already none (hadolintFailOn); typed off it takes back the file's and the variable's.
    noFail: values['no-fail'],
    overrides: LEVELS.flatMap((level) =>
      (values[level] ?? [])
        .flatMap(flagList(level, 'rule id', `give rule ids such as DL3008 or DF001, comma-separated or one a flag`))
        .map((id): [string, Severity] => [id, level]),
    ),
    ignore: [],
    trustedRegistries: (values['trusted-registry'] ?? []).flatMap(registryList),
    labelSchema: parseLabels(values['require-label'] ?? [], '--require-label'),
    // Typed off (`--strict-labels=false`) the flag decides too: the command line is above the file and the variable.
    strictLabels: values['strict-labels'],
    disableIgnorePragma: values['disable-ignore-pragma'],
  };
}

/**
 * Lays a hadolint source over a config's settings (`under`: the config file wins where it says something, as the
 * environment is below the file in hadolint's order). Ids ballast has no rule for are skipped, as in a .hadolint.yaml.
 */
export function withHadolintLayer(
  settings: LintSettings,
  layer: HadolintLayer,
  rules: RuleMeta[],
  under: boolean,
): LintSettings {
  const codes = (id: string) => codesFor(id, rules);
  const layered: Record<string, SeveritySetting> = {};
  for (const [id, severity] of layer.overrides) for (const code of codes(id)) layered[code] = severity;
  const severities = under ? { ...layered, ...settings.severities } : { ...settings.severities, ...layered };
  // An ignored code stays off whatever source names it: hadolint drops ignored codes after every override.
  for (const id of layer.ignore) for (const code of codes(id)) severities[code] = 'off';
  const ruleOptions = { ...settings.ruleOptions };
  if (layer.trustedRegistries.length > 0)
    for (const code of ruleCodesFor('DL3026', rules)) {
      const own = (ruleOptions[code]?.trustedRegistries as string[] | undefined) ?? [];
      ruleOptions[code] = { ...ruleOptions[code], trustedRegistries: [...own, ...layer.trustedRegistries] };
    }
  const labels = Object.keys(layer.labelSchema).length > 0;
  if (labels || layer.strictLabels !== undefined)
    for (const id of LABEL_SCHEMA_IDS)
      for (const code of ruleCodesFor(id, rules)) {
        const own = ruleOptions[code] ?? {};
        const schema = (own.labelSchema as Record<string, LabelType> | undefined) ?? {};
        const strict = own.strictLabels as boolean | undefined;
        ruleOptions[code] = {
          ...own,
          ...(labels
            ? { labelSchema: under ? { ...layer.labelSchema, ...schema } : { ...schema, ...layer.labelSchema } }
            : {}),
          ...(layer.strictLabels !== undefined
            ? { strictLabels: under ? (strict ?? layer.strictLabels) : layer.strictLabels }
            : {}),
        };
      }
  return {
    ...settings,
    severities,
    ruleOptions,
    ...failOnUnder(settings, layer, under),
    ...pragmasUnder(settings, layer, under),
  };
}

/**
 * What a config fails on once a hadolint source is laid over it. The failure threshold and no-fail are merged each on
 * its own, each source over the one below (the file's over the variable's, the command line's over both), and no-fail,
 * when on, fails nothing whatever the threshold: so `--no-fail=false` brings back the threshold the file or the
 * variable gives, and HADOLINT_NOFAIL holds under a file that gives a threshold only.
 */
function failOnUnder(
  settings: LintSettings,
  layer: HadolintLayer,
  under: boolean,
): Pick<LintSettings, 'failOn' | 'threshold' | 'noFail'> {
  const below = settings.threshold ?? settings.failOn;
  const threshold = layer.failOn !== undefined && !(under && settings.failOnFromFile) ? layer.failOn : below;
  const noFail = under ? (settings.noFail ?? layer.noFail) : (layer.noFail ?? settings.noFail);
  return { failOn: noFail === true ? 'none' : threshold, threshold, noFail };
}

/**
 * Whether inline pragmas are obeyed once a hadolint source is laid over a config. Turned on, disable-ignore-pragma
 * disregards them all, unless it is the variable and the file said otherwise. Typed off on the command line (`--disable-ignore-pragma=false`), above hadolint's file and
 * variable, it takes back what they disabled, but not a .ballast.yaml's inlinePragmas/hadolintPragmas: those are
 * ballast's own settings, which hadolint's switch does not name.
 */
function pragmasUnder(
  settings: LintSettings,
  layer: HadolintLayer,
  under: boolean,
): Pick<LintSettings, 'pragmas' | 'hadolintPragmas'> {
  // The variable (under the file) decides only where the file is silent: hadolint merges the file over the environment.
  if (layer.disableIgnorePragma === true && !(under && settings.pragmasFromFile))
    return { pragmas: false, hadolintPragmas: false };
  if (layer.disableIgnorePragma === false && !under)
    return settings.kind === 'ballast'
      ? { pragmas: settings.raw?.inlinePragmas ?? true, hadolintPragmas: settings.raw?.hadolintPragmas ?? true }
      : { pragmas: true, hadolintPragmas: true };
  return { pragmas: settings.pragmas, hadolintPragmas: settings.hadolintPragmas };
}
