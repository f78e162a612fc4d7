// Configuration: .ballast.yaml found upward, unknown keys named by path, rules by code/name/hadolint id,
// .hadolint.yaml translated when there is no .ballast.yaml, and the shipped JSON Schema agreeing with the loader.
import { mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { lintSettingsResolver, loadLintSettings, readYaml } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { loadAllRuleMeta } from '../../rules/index.js';

const temp = () => mkdtempSync(join(tmpdir(), 'ballast-config-'));

describe('loadLintSettings', () => {
  let rules: Awaited<ReturnType<typeof loadAllRuleMeta>>;
  beforeAll(async () => {
    rules = await loadAllRuleMeta();
  });

  it('finds .ballast.yaml in a parent directory and keys rules by code, name, hadolint id or BuildKit check name', async () => {
    // Given a config two levels up
    const root = temp();
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    writeFileSync(
      join(root, '.ballast.yaml'),
      'failOn: warning\nrules:\n  DF001: error\n  apt-install-recommends: off\n  DL3006: { severity: info }\n  JSONArgsRecommended: off\nignorePaths: [vendor/**]\n',
    );
    // When settings are loaded from the nested directory
    const settings = await loadLintSettings({ cwd: join(root, 'a', 'b'), rules, home: root, env: {} });
    // Then they come from that file
    expect(settings.kind).toBe('ballast');
    expect(settings.failOn).toBe('warning');
    expect(settings.severities).toMatchObject({ DF001: 'error', DF002: 'off', DF022: 'info', DF109: 'off' });
    expect(settings.ignorePaths).toEqual(['vendor/**']);
  });

  it('fails on an unknown key with its key path, and on an unknown rule', async () => {
    const root = temp();
    writeFileSync(join(root, '.ballast.yaml'), 'rules:\n  DF001:\n    severty: error\n');
    await expect(loadLintSettings({ cwd: root, rules, home: root, env: {} })).rejects.toThrow(
      /rules\.DF001\.severty is not a known key/,
    );
    writeFileSync(join(root, '.ballast.yaml'), 'failon: error\n');
    await expect(loadLintSettings({ cwd: root, rules, home: root, env: {} })).rejects.toThrow(
      /failon is not a known key/,
    );
    // A section no command reads is not accepted either (an `analyze:` section was, and did nothing)
    writeFileSync(join(root, '.ballast.yaml'), 'analyze:\n  top: 5\n');
    await expect(loadLintSettings({ cwd: root, rules, home: root, env: {} })).rejects.toThrow(
      /analyze is not a known key/,
    );
    writeFileSync(join(root, '.ballast.yaml'), 'rules:\n  DF999: off\n');
    await expect(loadLintSettings({ cwd: root, rules, home: root, env: {} })).rejects.toThrow(ConfigError);
    writeFileSync(join(root, '.ballast.yaml'), 'rules: [\n');
    // The parser's first line ends in a colon before its code frame, which the one-line error leaves out: it read
    // `... at line 2, column 1: (hint: ...)`.
    await expect(loadLintSettings({ cwd: root, rules, home: root, env: {} })).rejects.toThrow(
      /\.ballast\.yaml is not valid YAML: \S.* at line \d+, column \d+$/,
    );
    // Nested past the parser's stack: said so, with where, not 'not valid YAML: Maximum call stack size exceeded'
    writeFileSync(join(root, '.ballast.yaml'), `rules: ${'['.repeat(50000)}\n`);
    const deep = await loadLintSettings({ cwd: root, rules, home: root, env: {} }).catch((e: unknown) => e);
    expect(deep).toBeInstanceOf(ConfigError);
    expect((deep as ConfigError).message).toMatch(
      /\.ballast\.yaml is nested too deeply to read \(at line 1, column \d+\)$/,
    );
    expect((deep as ConfigError).message).not.toMatch(/\n|Maximum call stack/);
    expect((deep as ConfigError).hint).toMatch(/runaway/);
    // A repeated key is refused with its place; a map of 60,000 keys (under the size limit) is read in linear time:
    // the parser's own duplicate check compares each key with every earlier one (1 MiB of keys took 53 s).
    writeFileSync(join(root, '.ballast.yaml'), 'inlinePragmas: true\nrules: {}\ninlinePragmas: false\n');
    await expect(loadLintSettings({ cwd: root, rules, home: root, env: {} })).rejects.toThrow(
      /\.ballast\.yaml is not valid YAML: Map keys must be unique at line 3, column 1/,
    );
    writeFileSync(join(root, '.ballast.yaml'), Array.from({ length: 60_000 }, (_, i) => `k${i}: 1\n`).join(''));
    const started = Date.now();
    await expect(loadLintSettings({ cwd: root, rules, home: root, env: {} })).rejects.toThrow(/k0 is not a known key/);
    expect(Date.now() - started).toBeLessThan(10_000);
    // Refused by its size before it is read: YAML's parser took 1.1 GB for 8 MB of comments
    writeFileSync(join(root, '.ballast.yaml'), 'rules: {}\n');
    truncateSync(join(root, '.ballast.yaml'), 64 * 1024 * 1024);
    await expect(loadLintSettings({ cwd: root, rules, home: root, env: {} })).rejects.toThrow(
      /\.ballast\.yaml is 67108864 bytes, too large for a config file \(limit 1048576\)/,
    );
  });

  // `DF006: error` beside `pip-cache: {severity: info}` (its name) read as info, the last key winning without a word.
  it.each([
    [
      'DF006: error\n  pip-cache: { severity: info }',
      'rules.pip-cache sets DF006 (pip-cache), which rules.DF006 sets already',
      'DF006 (pip-cache, hadolint DL3042)',
    ],
    [
      'DF006: error\n  DL3042: info',
      'rules.DL3042 sets DF006 (pip-cache), which rules.DF006 sets already',
      'DF006 (pip-cache, hadolint DL3042)',
    ],
    [
      'df006: error\n  DF006: error',
      'rules.DF006 sets DF006 (pip-cache), which rules.df006 sets already',
      'DF006 (pip-cache, hadolint DL3042)',
    ],
    ['SC2086: off\n  sc2086: warning', 'rules.sc2086 sets SC2086, which rules.SC2086 sets already', 'SC2086'],
    // One .ballast.yaml serves ci too: its image rules are checked by lint as well.
    [
      'IM001: off\n  apt-lists-in-image: error',
      'rules.apt-lists-in-image sets IM001 (apt-lists-in-image), which rules.IM001 sets already',
      'IM001 (apt-lists-in-image)',
    ],
    [
      'DF109: error\n  jsonargsrecommended: off',
      'rules.jsonargsrecommended sets DF109 (shell-form-cmd), which rules.DF109 sets already',
      'DF109 (shell-form-cmd, hadolint DL3025, BuildKit JSONArgsRecommended)',
    ],
    // Every key is named, not the first two alone.
    [
      'DF006: error\n  pip-cache: info\n  DL3042: off',
      'rules.pip-cache and rules.DL3042 set DF006 (pip-cache), which rules.DF006 sets already',
      'DF006 (pip-cache, hadolint DL3042)',
      'these keys',
    ],
  ])(
    'refuses one rule set twice under its code, name, hadolint id or BuildKit check name: %j',
    async (yaml, message, names, keys = 'the two keys') => {
      const root = temp();
      writeFileSync(join(root, '.ballast.yaml'), `rules:\n  ${yaml}\n`);
      const error = await loadLintSettings({ cwd: root, rules, home: root, env: {} }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      // Found in the working directory: named there by its name (not its absolute path).
      expect((error as ConfigError).message).toBe(`.ballast.yaml: ${message}`);
      expect((error as ConfigError).hint).toBe(`${names} is one rule: keep one of ${keys}`);
    },
  );

  it('refuses the repeated keys the YAML parser refuses, no more and no fewer, and the first problem first', async () => {
    // The one-pass duplicate check stands in for the parser's own (uniqueKeys): same answer on every kind of key.
    const root = temp();
    const file = join(root, 'c.yaml');
    const table: Record<string, string> = {
      plain: 'a: 1\na: 2\n',
      'number and string': '1: a\n"1": b\n',
      'number twice': '1: a\n0x1: b\n',
      nulls: '~: a\nnull: b\n',
      'not-a-number keys': '.nan: a\n.nan: b\n',
      'quoted << (a plain key, not a merge)': '"<<": 1\n"<<": 2\n',
      'two merges': 'x-a: &a {p: 1}\nx-b: &b {q: 1}\nm:\n  <<: *a\n  <<: *b\n',
      'merge then the key': 'x: &a {p: 1}\nm:\n  <<: *a\n  p: 2\n',
      flow: '{a: 1, a: 2}\n',
      'alias keys': 'x: &k a\n*k : 1\n*k : 2\n',
      'anchored key': '&k a: 1\na: 2\n',
      nested: 'a:\n  b: 1\n  b: 2\n',
      'sequence of maps': '- a: 1\n  a: 2\n',
      'maps in a sequence': '- a: 1\n- a: 2\n',
    };
    for (const [name, text] of Object.entries(table)) {
      writeFileSync(file, text);
      const expected = (() => {
        try {
          return { value: parseYaml(text, { merge: true }) as unknown };
        } catch (error) {
          return { error: (error as Error).message.split(':\n')[0] };
        }
      })();
      const got = await readYaml(file).then(
        (value) => ({ value }),
        (error: unknown) => ({ error: (error as Error).message.replace(`${file} is not valid YAML: `, '') }),
      );
      expect({ name, ...got }).toEqual({ name, ...expected });
    }
    // A repeated key before a syntax error is named first, as the parser did
    writeFileSync(file, 'a: 1\na: 2\nb: [\n');
    await expect(readYaml(file)).rejects.toThrow(/Map keys must be unique at line 2, column 1$/);
  });

  it('reads .hadolint.yaml when there is no .ballast.yaml', async () => {
    const root = temp();
    writeFileSync(
      join(root, '.hadolint.yaml'),
      'ignored: [DL3008, SC2086]\noverride:\n  error: [DL3015]\n  style: [DL3009]\nfailure-threshold: warning\ntrustedRegistries: docker.io\nlabel-schema: {}\n',
    );
    const settings = await loadLintSettings({ cwd: root, rules, home: root, env: {} });
    expect(settings.kind).toBe('hadolint');
    expect(settings.severities).toMatchObject({ DF105: 'off', DF002: 'error', DF001: 'style' });
    expect(settings.failOn).toBe('warning');
    // hadolint's thresholds: style (and ignore, below it) fail on everything; anything else unknown is info.
    for (const [threshold, failOn] of [
      ['style', 'style'],
      ['ignore', 'style'],
      ['info', 'info'],
      ['none', 'none'],
    ]) {
      writeFileSync(join(root, '.hadolint.yaml'), `failure-threshold: ${threshold}\n`);
      expect((await loadLintSettings({ cwd: root, rules, home: root, env: {} })).failOn).toBe(failOn);
    }
    writeFileSync(join(root, '.hadolint.yaml'), 'ignore: [DL3008]\n');
    await expect(loadLintSettings({ cwd: root, rules, home: root, env: {} })).rejects.toThrow(
      /ignore is not a known key/,
    );
  });

  // Regression: an empty name was taken, and matches no registry: `trustedRegistries: [""]` (a value left blank) turned
  // DL3026 on against every image, and in .ballast.yaml without a word.
  it.each([
    ['.ballast.yaml', 'trustedRegistries: [docker.io, ""]', 'trustedRegistries'],
    ['.ballast.yaml', 'rules:\n  DF209: {options: {trustedRegistries: " "}}', 'rules.DF209.options.trustedRegistries'],
    ['.hadolint.yaml', 'trustedRegistries: ""', 'trustedRegistries'],
    ['.hadolint.yaml', 'trustedRegistries: [quay.io, ""]', 'trustedRegistries'],
  ])('refuses an empty registry name in %s: %j', async (name, yaml, key) => {
    const root = temp();
    writeFileSync(join(root, name), `${yaml}\n`);
    const error = await loadLintSettings({ cwd: root, rules, home: root, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(`${name}: ${key} must not hold an empty registry name`);
    expect((error as ConfigError).hint).toMatch(/^give registry hosts such as docker\.io/);
  });

  it('hands the label schema to every label rule, and names the key path of a bad label type', async () => {
    // Given a hadolint config with label-schema and strict-labels
    const root = temp();
    writeFileSync(join(root, '.hadolint.yaml'), 'label-schema:\n  version: semver\nstrict-labels: true\n');
    const settings = await loadLintSettings({ cwd: root, rules, home: root, env: {} });
    // Then the label rules, DL3049-DL3056 and DL3058 (DF240-DF248), all get both settings; DL3057 (DF250) is not one
    for (const code of ['DF240', 'DF241', 'DF242', 'DF243', 'DF244', 'DF245', 'DF246', 'DF247', 'DF248']) {
      expect(settings.ruleOptions[code]).toEqual({ labelSchema: { version: 'semver' }, strictLabels: true });
    }
    expect(settings.ruleOptions.DF249).toBeUndefined();
    expect(settings.ruleOptions.DF250).toBeUndefined();
    // And a bad type in .ballast.yaml, at the top level or in one rule's options, names where it is
    writeFileSync(
      join(root, '.ballast.yaml'),
      'rules:\n  DF247:\n    options:\n      labelSchema: { version: number }\n',
    );
    await expect(loadLintSettings({ cwd: root, rules, home: root, env: {} })).rejects.toThrow(
      /rules\.DF247\.options\.labelSchema\.version must be one of/,
    );
    writeFileSync(join(root, '.ballast.yaml'), 'strictLabels: yes please\n');
    await expect(loadLintSettings({ cwd: root, rules, home: root, env: {} })).rejects.toThrow(
      /strictLabels must be true or false/,
    );
  });

  it('prefers .ballast.yaml, and finds hadolint.yaml under XDG_CONFIG_HOME', async () => {
    const root = temp();
    writeFileSync(join(root, '.hadolint.yaml'), 'failure-threshold: error\n');
    writeFileSync(join(root, '.ballast.yaml'), 'failOn: none\n');
    expect((await loadLintSettings({ cwd: root, rules, home: root, env: {} })).failOn).toBe('none');
    const other = temp();
    mkdirSync(join(other, 'xdg'));
    writeFileSync(join(other, 'xdg', 'hadolint.yaml'), 'no-fail: true\n');
    const settings = await loadLintSettings({
      cwd: join(other),
      rules,
      home: other,
      env: { XDG_CONFIG_HOME: join(other, 'xdg') },
    });
    expect(settings).toMatchObject({ kind: 'hadolint', failOn: 'none' });
  });
});

describe('schema/ballast.schema.json', () => {
  const schema = JSON.parse(readFileSync('schema/ballast.schema.json', 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

  it('accepts the example config and rejects what the loader rejects', () => {
    expect(validate(parseYaml(readFileSync('examples/.ballast.yaml', 'utf8')))).toBe(true);
    expect(validate({ failon: 'error' })).toBe(false);
    expect(validate({ rules: { DF001: 'fatal' } })).toBe(false);
    expect(validate({ rules: { DF001: { severity: 'error', typo: 1 } } })).toBe(false);
    expect(validate({ failOn: 'warning', rules: { DF001: { severity: 'off', options: {} } } })).toBe(true);
    expect(validate({ labelSchema: { 'org.opencontainers.image.version': 'semver' }, strictLabels: true })).toBe(true);
    expect(validate({ labelSchema: { version: 'semverr' } })).toBe(false);
    expect(validate({ strictLabels: 'yes' })).toBe(false);
    expect(validate({ trustedRegistries: ['docker.io'] })).toBe(true);
    expect(validate({ trustedRegistries: ['docker.io', ' '] })).toBe(false);
  });
});

describe('lintSettingsResolver', () => {
  let rules: Awaited<ReturnType<typeof loadAllRuleMeta>>;
  beforeAll(async () => {
    rules = await loadAllRuleMeta();
  });

  it('answers per directory, reading each config file once (lintcfg #1)', async () => {
    // Given a root .ballast.yaml, a service with its own .hadolint.yaml, and nested directories
    const root = temp();
    mkdirSync(join(root, 'x', 'y'), { recursive: true });
    mkdirSync(join(root, 'svc', 'deep'), { recursive: true });
    writeFileSync(join(root, '.ballast.yaml'), 'failOn: warning\n');
    writeFileSync(join(root, 'svc', '.hadolint.yaml'), 'failure-threshold: error\n');
    const settingsFor = lintSettingsResolver({ cwd: root, rules, home: root, env: {} });
    // Then directories under the same config share one settings object
    const top = await settingsFor(root);
    expect(await settingsFor(join(root, 'x', 'y'))).toBe(top);
    expect(await settingsFor(join(root, 'x'))).toBe(top);
    expect(top.failOn).toBe('warning');
    // And a .ballast.yaml further up still comes before a .hadolint.yaml nearer (ballast's own config wins)
    expect((await settingsFor(join(root, 'svc', 'deep'))).kind).toBe('ballast');
    // And without a .ballast.yaml anywhere up, the nearest .hadolint.yaml is read
    const other = temp();
    mkdirSync(join(other, 'svc', 'deep'), { recursive: true });
    writeFileSync(join(other, 'svc', '.hadolint.yaml'), 'failure-threshold: error\n');
    const resolveOther = lintSettingsResolver({ cwd: other, rules, home: other, env: {} });
    const svc = await resolveOther(join(other, 'svc', 'deep'));
    expect(svc).toMatchObject({ kind: 'hadolint', failOn: 'error' });
    expect(await resolveOther(join(other, 'svc'))).toBe(svc);
    expect((await resolveOther(other)).kind).toBe('defaults');
  });

  // Regression: a .ballast.yaml added for `ci`'s budgets beside a .hadolint.yaml silently turned the hadolint file's
  // ignored rules and overrides off for lint.
  it('notes a .hadolint.yaml left unread for a .ballast.yaml that sets nothing of lint, once, not one farther up', async () => {
    // Given a .ballast.yaml holding only image limits, with a .hadolint.yaml beside it and another in a service below
    const root = temp();
    mkdirSync(join(root, 'svc'));
    writeFileSync(join(root, '.ballast.yaml'), 'limits:\n  maxEntries: 100000\n');
    writeFileSync(join(root, '.hadolint.yaml'), 'ignored: [DL3008]\n');
    writeFileSync(join(root, 'svc', '.hadolint.yaml'), 'ignored: [DL3008]\n');
    const notes: string[] = [];
    const settingsFor = lintSettingsResolver({ cwd: root, rules, home: root, env: {}, onNote: (n) => notes.push(n) });
    // When settings are read for both directories, twice
    for (const dir of [root, join(root, 'svc'), root, join(root, 'svc')])
      expect((await settingsFor(dir)).kind).toBe('ballast');
    // Then each unread .hadolint.yaml is named once, with the .ballast.yaml read instead
    expect(notes).toEqual([
      expect.stringMatching(
        /^\.hadolint\.yaml is not read: \.ballast\.yaml is, .*ignored: \[ID\] is rules: \{ID: off\}/,
      ),
      expect.stringMatching(/^svc\/\.hadolint\.yaml is not read: \.ballast\.yaml is/),
    ]);
    // And a .ballast.yaml that configures lint was written for it: nothing is said
    const configured = temp();
    writeFileSync(join(configured, '.ballast.yaml'), 'rules:\n  DL3059: off\n');
    writeFileSync(join(configured, '.hadolint.yaml'), 'ignored: [DL3008]\n');
    const quiet: string[] = [];
    await lintSettingsResolver({ cwd: configured, rules, home: configured, env: {}, onNote: (n) => quiet.push(n) })(
      configured,
    );
    expect(quiet).toEqual([]);
    // Nor of a .hadolint.yaml farther up than a project's own .ballast.yaml (a monorepo's, giving way to it)
    const mono = temp();
    mkdirSync(join(mono, 'app'));
    writeFileSync(join(mono, '.hadolint.yaml'), 'ignored: [DL3008]\n');
    writeFileSync(join(mono, 'app', '.ballast.yaml'), 'limits:\n  maxEntries: 100000\n');
    await lintSettingsResolver({ cwd: mono, rules, home: mono, env: {}, onNote: (n) => quiet.push(n) })(
      join(mono, 'app'),
    );
    expect(quiet).toEqual([]);
  });

  // Regression: hadolint reads the working directory's .hadolint.yaml; ballast searched only upward from the
  // Dockerfile, so `cd proj && ballast lint /elsewhere/Dockerfile` ignored proj's config.
  it("falls back to the working directory's config when none is found upward, before the per-user places", async () => {
    const home = temp();
    mkdirSync(join(home, '.config'));
    writeFileSync(join(home, '.config', 'hadolint.yaml'), 'failure-threshold: style\n');
    const proj = temp();
    const elsewhere = temp();
    const source = async (cwd: string, dir: string) =>
      (await lintSettingsResolver({ cwd, rules, home, env: {} })(dir)).source;
    // Without a config in the working directory, the per-user one, as before.
    expect(await source(proj, elsewhere)).toBe(join(home, '.config', 'hadolint.yaml'));
    writeFileSync(join(proj, '.hadolint.yaml'), 'failure-threshold: error\n');
    expect(await source(proj, elsewhere)).toBe(join(proj, '.hadolint.yaml'));
    // ballast's own file first, there as upward.
    writeFileSync(join(proj, '.ballast.yaml'), 'failOn: warning\n');
    expect(await source(proj, elsewhere)).toBe(join(proj, '.ballast.yaml'));
    // A config found upward from the Dockerfile, of either kind, still comes first.
    writeFileSync(join(elsewhere, '.hadolint.yml'), 'failure-threshold: info\n');
    expect(await source(proj, elsewhere)).toBe(join(elsewhere, '.hadolint.yml'));
  });

  // Review s45: the upward search from a Dockerfile under $HOME reaches ~/.hadolint.yaml, the per-user file hadolint
  // reads after the working directory's; it took the place of the working directory's config.
  it("ranks ~/.hadolint.yaml, reached upward from a Dockerfile in home, after the working directory's config", async () => {
    const home = temp();
    const dockerfileDir = join(home, 'src', 'app');
    mkdirSync(dockerfileDir, { recursive: true });
    writeFileSync(join(home, '.hadolint.yaml'), 'failure-threshold: style\n');
    const proj = temp();
    const source = async (cwd: string, dir: string) =>
      (await lintSettingsResolver({ cwd, rules, home, env: {} })(dir)).source;
    // Without a config in the working directory, the home one.
    expect(await source(proj, dockerfileDir)).toBe(join(home, '.hadolint.yaml'));
    writeFileSync(join(proj, '.hadolint.yaml'), 'failure-threshold: error\n');
    expect(await source(proj, dockerfileDir)).toBe(join(proj, '.hadolint.yaml'));
    // In home itself it is the working directory's (and the Dockerfile's) file.
    expect(await source(home, dockerfileDir)).toBe(join(home, '.hadolint.yaml'));
  });
});

// Regression (lintcfg #5): a --config file named neither .ballast.yaml nor .hadolint.yaml was always read as ballast's,
// so valid hadolint settings failed with "ignored is not a known key" and a hint at ballast's schema.
describe('--config FILE of any name, and hadolint per-user configs', () => {
  let rules: Awaited<ReturnType<typeof loadAllRuleMeta>>;
  beforeAll(async () => {
    rules = await loadAllRuleMeta();
  });
  const load = (root: string, configPath: string) =>
    loadLintSettings({ cwd: root, configPath, rules, home: root, env: {} });

  it('is told apart by its keys when its name says neither, and an error says which format was assumed', async () => {
    const root = temp();
    // Given hadolint settings in lint-rules.yaml, then read as hadolint's
    writeFileSync(join(root, 'lint-rules.yaml'), 'ignored: [DL3008]\nfailure-threshold: warning\n');
    const theirs = await load(root, 'lint-rules.yaml');
    expect(theirs).toMatchObject({ kind: 'hadolint', failOn: 'warning', severities: { DF105: 'off' } });
    // Given ballast settings in lint.yml, then read as ballast's
    writeFileSync(join(root, 'lint.yml'), 'failOn: error\nrules:\n  DF001: off\n');
    expect(await load(root, 'lint.yml')).toMatchObject({
      kind: 'ballast',
      failOn: 'error',
      severities: { DF001: 'off' },
    });
    // Given a mistake in a hadolint-looking file, then the error says it was read as hadolint's and why
    writeFileSync(join(root, 'lint-rules.yaml'), 'ignored: [DL3008]\nfailOn: error\n');
    const hadolintError = await load(root, 'lint-rules.yaml').catch((e: ConfigError) => e);
    expect(hadolintError).toBeInstanceOf(ConfigError);
    expect((hadolintError as ConfigError).message).toMatch(
      /failOn is a \.ballast\.yaml key, not hadolint's \(read as a \.hadolint\.yaml because it has hadolint's ignored\)$/,
    );
    // What the hint offers works: a name with ballast in it is read as ballast's format, whatever its keys
    expect((hadolintError as ConfigError).hint).toMatch(
      /hadolint's format.*failure-threshold.*; to have it read as ballast's, give it a name with ballast in it \(\.ballast\.yaml\) or take out hadolint's ignored$/,
    );
    writeFileSync(join(root, 'lint.ballast.yaml'), 'ignored: [DL3008]\nfailOn: error\n');
    await expect(load(root, 'lint.ballast.yaml')).rejects.toThrow(
      /^[^(]*: ignored is hadolint's key, not a \.ballast\.yaml one$/,
    );
    expect((hadolintError as ConfigError).hint).not.toMatch(/ballast\.schema\.json/);
    // Given a mistake in a file with none of hadolint's keys, then it says it was read as ballast's
    writeFileSync(join(root, 'lint.yml'), 'failon: error\n');
    await expect(load(root, 'lint.yml')).rejects.toThrow(
      /failon is not a known key \(read as a \.ballast\.yaml because it has none of hadolint's keys\)$/,
    );
    // And its hint's question ends the guess before the next clause, not a `?;`
    const ballastError = (await load(root, 'lint.yml').catch((e: unknown) => e)) as ConfigError;
    expect(ballastError.hint).toMatch(/^did you mean failOn\? a hadolint config is told by its keys \(/);
  });

  it("points a .hadolint.yaml's errors at hadolint's keys, not ballast's schema", async () => {
    const root = temp();
    writeFileSync(join(root, '.hadolint.yaml'), 'ignore: [DL3008]\n');
    const error = (await loadLintSettings({ cwd: root, rules, home: root, env: {} }).catch((e) => e)) as ConfigError;
    expect(error.message).toMatch(/ignore is not a known key$/);
    expect(error.hint).toMatch(
      /^did you mean ignored\? this is read as hadolint's format, whose keys ballast accepts are ignored, /,
    );
  });

  it.each([
    ['ignore: [DL3018]\nfailure-threshold: warning\n', 'ignore', 'ignored'],
    ['failure_threshold: warning\nignored: []\n', 'failure_threshold', 'failure-threshold'],
    ['ignored: []\nfailurethreshold: warning\n', 'failurethreshold', 'failure-threshold'],
    ['ignored: []\nfailureThreshold: error\n', 'failureThreshold', 'failure-threshold'],
    ['ignored: []\nlabel-schemas: {}\n', 'label-schemas', 'label-schema'],
    ['ignored: []\noverride:\n  warn: [DL3008]\n', 'override.warn', 'warning'],
  ])('a hadolint-format key misspelt in %j: did you mean', async (yaml, key, guess) => {
    const root = temp();
    writeFileSync(join(root, 'c.yaml'), yaml);
    const error = (await load(root, 'c.yaml').catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(`${key} is not a known key`);
    // One question, then the next clause: no `?;`
    expect(error.hint).toMatch(new RegExp(`^did you mean ${guess}\\? this is read as hadolint's format`));
  });

  // A ballast key in a hadolint-format file was "not a known key" with no hint, as if misspelt: it names hadolint's key
  // for the same setting, or, when hadolint's format has none, where the key is read.
  it.each([
    ['failOn: warning\n', 'failOn', "hadolint's is failure-threshold"],
    ['strictLabels: true\n', 'strictLabels', "hadolint's is strict-labels"],
    ['labelSchema: {}\n', 'labelSchema', "hadolint's is label-schema"],
    ['inlinePragmas: false\n', 'inlinePragmas', "hadolint's is disable-ignore-pragma: true for inlinePragmas: false"],
    ['hadolintPragmas: false\n', 'hadolintPragmas', "hadolint's nearest is disable-ignore-pragma: true"],
    ['rules:\n  DL3008: off\n', 'rules', "hadolint's are ignored: [ID, ...] for off and override:"],
    ['ignorePaths: [vendor/**]\n', 'ignorePaths', "hadolint's format has none; put it in a .ballast.yaml"],
    ['limits: {maxEntries: 10}\n', 'limits', "hadolint's format has none; put it in a .ballast.yaml"],
  ])("a ballast key in a .hadolint.yaml, %j: says it is ballast's", async (yaml, key, hint) => {
    const root = temp();
    writeFileSync(join(root, '.hadolint.yaml'), yaml);
    const error = (await loadLintSettings({ cwd: root, rules, home: root, env: {} }).catch((e) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(new RegExp(`: ${key} is a \\.ballast\\.yaml key, not hadolint's$`));
    expect(error.hint?.startsWith(`${hint}`)).toBe(true);
    expect(error.hint).toContain("; this is read as hadolint's format");
  });

  // The reverse: a hadolint key in a .ballast.yaml got only the generic hint (see the schema); it names ballast's key
  // for the same setting, or where ballast takes it.
  it.each([
    ['failure-threshold: error\n', 'failure-threshold', "ballast's is failOn"],
    ['no-fail: true\n', 'no-fail', "ballast's is failOn: none"],
    ['ignored: [DL3008]\n', 'ignored', "ballast's is rules: {ID: off}"],
    ['override: {error: [DL3008]}\n', 'override', "ballast's is rules: {ID: error}"],
    ['label-schema: {}\n', 'label-schema', "ballast's is labelSchema"],
    ['strict-labels: true\n', 'strict-labels', "ballast's is strictLabels"],
    ['disable-ignore-pragma: true\n', 'disable-ignore-pragma', "ballast's are inlinePragmas: false"],
    ['format: json\n', 'format', 'a .ballast.yaml has none: pass --format'],
    ['no-color: true\n', 'no-color', 'a .ballast.yaml has none: pass --no-color'],
    ['verbose: true\n', 'verbose', 'a .ballast.yaml has none: pass --verbose'],
    ['file-path-in-report: x\n', 'file-path-in-report', 'a .ballast.yaml has none: pass --file-path-in-report'],
    ['formats: {}\n', 'formats', 'a .ballast.yaml has none'],
  ])("a hadolint key in a .ballast.yaml, %j: names ballast's", async (yaml, key, hint) => {
    const root = temp();
    writeFileSync(join(root, '.ballast.yaml'), yaml);
    const error = (await loadLintSettings({ cwd: root, rules, home: root, env: {} }).catch((e) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(new RegExp(`: ${key} is hadolint's key, not a \\.ballast\\.yaml one$`));
    expect(error.hint?.startsWith(hint)).toBe(true);
  });

  // A misspelt ballast key (`failon`) was "not a known key" with no hint, while `failOn` itself was told hadolint's key:
  // a near-miss of a ballast key gets the same hint, naming the ballast key it is near. A near hadolint key still wins.
  it.each([
    ['failon: warning\n', 'failon', 'failOn', "hadolint's is failure-threshold"],
    ['FAILON: warning\n', 'FAILON', 'failOn', "hadolint's is failure-threshold"],
    ['fail-on: warning\n', 'fail-on', 'failOn', "hadolint's is failure-threshold"],
    ['failsOn: warning\n', 'failsOn', 'failOn', "hadolint's is failure-threshold"],
    ['inlinepragmas: false\n', 'inlinepragmas', 'inlinePragmas', "hadolint's is disable-ignore-pragma: true"],
    ['Rules:\n  DL3008: off\n', 'Rules', 'rules', "hadolint's are ignored: [ID, ...] for off"],
    [
      'ignore_paths: [vendor/**]\n',
      'ignore_paths',
      'ignorePaths',
      "hadolint's format has none; put it in a .ballast.yaml",
    ],
  ])(
    'a near-miss of a ballast key in a .hadolint.yaml, %j: says whose key it is near',
    async (yaml, key, near, hint) => {
      const root = temp();
      writeFileSync(join(root, '.hadolint.yaml'), yaml);
      const error = (await loadLintSettings({ cwd: root, rules, home: root, env: {} }).catch((e) => e)) as ConfigError;
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toMatch(
        new RegExp(`: ${key} is not a known key; ${near} is a \\.ballast\\.yaml key, not hadolint's$`),
      );
      expect(error.hint?.startsWith(hint)).toBe(true);
      expect(error.hint).toContain("; this is read as hadolint's format");
    },
  );

  it('a key near both formats in a .hadolint.yaml is taken as the hadolint key', async () => {
    const root = temp();
    writeFileSync(join(root, '.hadolint.yaml'), 'strictlabels: true\n');
    const error = (await loadLintSettings({ cwd: root, rules, home: root, env: {} }).catch((e) => e)) as ConfigError;
    expect(error.message).toMatch(/strictlabels is not a known key$/);
    expect(error.hint).toMatch(/^did you mean strict-labels\? this is read as hadolint's format/);
  });

  it("searches hadolint's per-user places in hadolint's order, .yml too", async () => {
    // hadolint: $XDG_CONFIG_HOME/hadolint.yaml, ~/.config/hadolint.yaml, ~/.hadolint/hadolint.yaml or
    // ~/hadolint/config.yaml, ~/.hadolint.yaml (the first found is used)
    // (the working directory is outside home: a ~/.hadolint.yaml above it would be found by the upward search)
    const home = temp();
    const work = temp();
    const found = async () =>
      (await loadLintSettings({ cwd: work, rules, home, env: { XDG_CONFIG_HOME: join(home, 'xdg') } })).source;
    const places = [
      'xdg/hadolint.yaml',
      '.config/hadolint.yml',
      '.hadolint/hadolint.yaml',
      'hadolint/config.yaml',
      '.hadolint.yml',
    ];
    // Given each place, from the last to the first, each one found wins over those after it
    for (const place of [...places].reverse()) {
      mkdirSync(join(home, place, '..'), { recursive: true });
      writeFileSync(join(home, place), 'failure-threshold: error\n');
      expect(await found()).toBe(join(home, place));
    }
  });

  it('ranks ~/.hadolint.yaml as hadolint does when the Dockerfile is below home: after the per-user places', async () => {
    // Found by the upward search from a project in home, it came before $XDG_CONFIG_HOME and ~/.config, which
    // hadolint reads first; it is the working directory's file only for a Dockerfile in home itself.
    const home = temp();
    const work = join(home, 'src', 'app');
    mkdirSync(work, { recursive: true });
    mkdirSync(join(home, '.config'));
    writeFileSync(join(home, '.hadolint.yaml'), 'failure-threshold: error\n');
    writeFileSync(join(home, '.config', 'hadolint.yaml'), 'failure-threshold: warning\n');
    const source = async (cwd: string) => (await loadLintSettings({ cwd, rules, home, env: {} })).source;
    expect(await source(work)).toBe(join(home, '.config', 'hadolint.yaml'));
    expect(await source(home)).toBe(join(home, '.hadolint.yaml'));
    // A project's own .hadolint.yaml, in its directory or above it below home, still comes first.
    writeFileSync(join(home, 'src', '.hadolint.yml'), 'failure-threshold: style\n');
    expect(await source(work)).toBe(join(home, 'src', '.hadolint.yml'));
  });
});
