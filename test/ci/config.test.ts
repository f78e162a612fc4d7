// The ci: section and .dive-ci: what they accept, what they reject (naming the key), and how per-image budgets and
// flag overrides combine.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { budgetsFor, parseBudget, parseCiSettings, parseDiveCi, type CiBudgets } from '../../src/config/ci.js';
import { globToRegExp } from '../../src/config/glob.js';
import { validateBallastConfig } from '../../src/config/schema.js';
import { ConfigError } from '../../src/errors.js';

describe('ci: section', () => {
  it('reads sizes, ratios, per-class junk, ignore lists and per-image budgets', () => {
    // Given a ci: section using every key
    const settings = parseCiSettings(
      {
        maxImageBytes: { compressed: '200MB', uncompressed: '1.5GiB' },
        maxLayerBytes: 1000,
        minEfficiency: '90%',
        maxWastedBytes: '20MB',
        maxWastedPercent: 0.1,
        maxJunkBytes: { total: '30MB', aptLists: 0 },
        maxGrowthBytes: '50MB',
        maxGrowthPercent: '10%',
        failOn: 'warning',
        ignore: { rules: ['IM006'], paths: ['/app/static/**'], junk: ['docsManInfo'] },
        images: { 'registry.example.com/app/*': { maxImageBytes: '2GB', maxLayerBytes: null } },
      },
      '.ballast.yaml',
    );
    // Then every value is in bytes or a fraction
    expect(settings.budgets).toEqual({
      maxImageBytes: { compressed: 200e6, uncompressed: 1.5 * 2 ** 30 },
      maxLayerBytes: 1000,
      minEfficiency: 0.9,
      maxWastedBytes: 20e6,
      maxWastedPercent: 0.1,
      maxJunkBytes: { total: 30e6, classes: { aptLists: 0 } },
      maxGrowthBytes: 50e6,
      maxGrowthPercent: 0.1,
      failOn: 'warning',
    });
    expect(settings.ignore).toEqual({ rules: ['IM006'], paths: ['/app/static/**'], junk: ['docsManInfo'] });
    // And a matching image gets its own size budget (uncompressed only: compressed stays from the top level)
    const app = budgetsFor(settings, ['registry.example.com/app/web:1.2']);
    expect(app.matched).toEqual(['registry.example.com/app/*']);
    expect(app.budgets.maxImageBytes).toEqual({ compressed: 200e6, uncompressed: 2e9 });
    // `null` switches the top-level maxLayerBytes off for that image
    expect(app.budgets.maxLayerBytes).toBeUndefined();
    // And another image does not match (a single * stays within one path segment)
    expect(budgetsFor(settings, ['registry.example.com/app/team/web']).matched).toEqual([]);
    expect(budgetsFor(settings, ['other.example.com/app/web']).budgets.maxImageBytes).toEqual({
      compressed: 200e6,
      uncompressed: 1.5 * 2 ** 30,
    });
  });

  it('a per-image block switches one limit of a budget off, and failOn: off means none', () => {
    // Given top-level size and junk budgets with two limits each, and a failOn
    const settings = parseCiSettings(
      {
        maxImageBytes: { compressed: '200MB', uncompressed: '1GB' },
        maxJunkBytes: { total: '30MB', aptLists: 0, gitDirs: 0 },
        failOn: 'warning',
        images: {
          'app/*': { maxImageBytes: { compressed: 'off' }, maxJunkBytes: { aptLists: null, total: 'off' } },
          'tools/*': { failOn: 'off' },
        },
      },
      '.ballast.yaml',
    );
    // When an image matches the first block, only the named limits are gone
    const app = budgetsFor(settings, ['app/web']);
    expect(app.budgets.maxImageBytes).toEqual({ uncompressed: 1e9 });
    expect(app.budgets.maxJunkBytes).toEqual({ classes: { gitDirs: 0 } });
    expect(app.budgets.failOn).toBe('warning');
    // And the top-level settings are untouched for other images
    expect(budgetsFor(settings, ['other/web']).budgets).toMatchObject({
      maxImageBytes: { compressed: 200e6, uncompressed: 1e9 },
      maxJunkBytes: { total: 30e6, classes: { aptLists: 0, gitDirs: 0 } },
    });
    // And `failOn: off` in a block is the gate's none, not the default (error)
    expect(budgetsFor(settings, ['tools/x']).budgets.failOn).toBe('none');
    // And the schema accepts what the parser does
    const validate = new Ajv({ allErrors: true, strict: false }).compile(
      JSON.parse(readFileSync('schema/ballast.schema.json', 'utf8')),
    );
    expect(
      validate({
        ci: {
          images: {
            'app/*': { maxImageBytes: { compressed: 'off' }, maxJunkBytes: { aptLists: null, total: 'off' } },
            'tools/*': { failOn: 'off' },
          },
        },
      }),
    ).toBe(true);
  });

  it.each([
    [{ maxImageBytes: 'huge' }, 'ci.maxImageBytes must be a size'],
    [{ maxImageBytes: { packed: '1GB' } }, 'ci.maxImageBytes.packed is not a known key'],
    [{ minEfficiency: '120%' }, 'ci.minEfficiency must be a ratio'],
    [{ maxJunkBytes: { aptLists: '-1' } }, 'ci.maxJunkBytes.aptLists must be a size'],
    [{ failOn: 'fatal' }, 'ci.failOn must be one of'],
    [{ maxImageBytes: 'off' }, 'ci.maxImageBytes is off: leave it out'],
    [{ maxJunkBytes: { aptListz: '1MB' } }, '.ballast.yaml: ci.maxJunkBytes.aptListz is not a junk class'],
    [{ maxLayerBytes: null }, 'ci.maxLayerBytes is off: leave it out'],
    // One limit switched off at the top level: the same advice as a whole budget, not "must be a size".
    [{ maxImageBytes: { compressed: 'off' } }, 'ci.maxImageBytes.compressed is off: leave it out'],
    [{ maxJunkBytes: { total: 1000, aptLists: null } }, 'ci.maxJunkBytes.aptLists is off: leave it out'],
    // Leaving failOn out is `error`, not off: the advice is the value that fails on nothing.
    [{ failOn: 'off' }, 'ci.failOn is off: write failOn: none (left out, it is error)'],
    [{ failOn: null }, 'ci.failOn is off: write failOn: none'],
    [{ maxImageByte: '1GB' }, 'ci.maxImageByte is not a known key'],
    [{ ignore: { rule: ['x'] } }, 'ci.ignore.rule is not a known key'],
    [{ images: { 'a/*': { images: {} } } }, 'ci.images.a/*.images is not a known key'],
    // An empty mapping set no limit: the gate passed on a budget whose values were lost (a template left blank).
    [{ maxImageBytes: {} }, 'ci.maxImageBytes is empty: give compressed and/or uncompressed, or leave it out'],
    [{ maxJunkBytes: {} }, 'ci.maxJunkBytes is empty: give total and/or junk classes, or leave it out'],
    [{ images: { 'a/*': { maxImageBytes: {} } } }, 'ci.images.a/*.maxImageBytes is empty'],
    // A byte count with a fraction was rounded: 0.4 a limit of 0 bytes, 0.5 one of 1.
    [{ maxImageBytes: 0.5 }, 'ci.maxImageBytes must be a whole number of bytes (got 0.5)'],
    [{ maxImageBytes: { compressed: '2.5e-1' } }, 'ci.maxImageBytes.compressed must be a whole number of bytes'],
    [{ maxLayerBytes: '1.5 B' }, 'ci.maxLayerBytes must be a whole number of bytes (got "1.5 B")'],
    [{ maxWastedBytes: 0.4 }, 'ci.maxWastedBytes must be a whole number of bytes (got 0.4)'],
    [{ maxJunkBytes: { aptLists: '0.5B' } }, 'ci.maxJunkBytes.aptLists must be a whole number of bytes'],
    [{ maxJunkBytes: 10.25 }, 'ci.maxJunkBytes must be a whole number of bytes'],
    [{ maxGrowthBytes: '1,000.5' }, 'ci.maxGrowthBytes must be a whole number of bytes'],
    [{ images: { 'a/*': { maxJunkBytes: { total: 0.5 } } } }, 'ci.images.a/*.maxJunkBytes.total must be a whole'],
  ])('rejects %j naming the key', (ci, message) => {
    expect(() => parseCiSettings(ci, '.ballast.yaml')).toThrow(ConfigError);
    expect(() => parseCiSettings(ci, '.ballast.yaml')).toThrow(message);
    // The top-level validator runs the same check, so `ballast lint` rejects a broken ci: section too
    expect(() => validateBallastConfig({ ci }, '.ballast.yaml')).toThrow(message);
  });

  it('a fractional byte count says what to write; sizes with a unit, exponents and ratios keep their fractions', () => {
    expect(() => parseCiSettings({ maxImageBytes: 0.5 }, '.ballast.yaml')).toThrow(
      expect.objectContaining({ hint: 'give whole bytes, or a size with a unit such as 1.5MB or 20MiB' }),
    );
    const settings = parseCiSettings(
      {
        maxImageBytes: { uncompressed: '1.5MB', compressed: '1.0005kB' },
        maxLayerBytes: '2.5e3',
        maxWastedBytes: 1e9,
        maxJunkBytes: { total: '1,000', aptLists: '0.5KiB' },
        maxGrowthBytes: '3.0',
        minEfficiency: 0.925,
        maxWastedPercent: '2.5%',
        maxGrowthPercent: 0.025,
      },
      '.ballast.yaml',
    );
    expect(settings.budgets).toEqual({
      maxImageBytes: { uncompressed: 1_500_000, compressed: 1001 },
      maxLayerBytes: 2500,
      maxWastedBytes: 1e9,
      maxJunkBytes: { total: 1000, classes: { aptLists: 512 } },
      maxGrowthBytes: 3,
      minEfficiency: 0.925,
      maxWastedPercent: 0.025,
      maxGrowthPercent: 0.025,
    });
  });

  it('a size YAML reads as Infinity (1e400, .inf) is out of range, not "got null"', () => {
    for (const text of ['1e400', '.inf'])
      expect(() => parseCiSettings(parseYaml(`maxImageBytes: ${text}`), '.ballast.yaml')).toThrow(
        '.ballast.yaml: ci.maxImageBytes is out of range (got Infinity; at most 9PB)',
      );
  });

  it('a misspelt ci: key names the key meant', () => {
    expect(() => parseCiSettings({ minEfficency: '90%' }, '.ballast.yaml')).toThrow(
      expect.objectContaining({
        message: expect.stringContaining('ci.minEfficency'),
        hint: 'did you mean minEfficiency?',
      }),
    );
    expect(() => parseCiSettings({ images: { 'a/*': { maxLayerByte: '1GB' } } }, '.ballast.yaml')).toThrow(
      expect.objectContaining({ hint: 'did you mean maxLayerBytes?' }),
    );
  });

  it.each([
    ['warn', 'did you mean warning?'],
    ['Error', 'did you mean error?'],
    ['ignore', 'give one of error, warning, info, style, none'],
  ])('failOn: %s names the level meant, not the schema of keys', (value, hint) => {
    // A value, not a key: "see schema/ballast.schema.json for the keys" sent the reader to the wrong place.
    expect(() => parseCiSettings({ failOn: value }, '.ballast.yaml')).toThrow(expect.objectContaining({ hint }));
    expect(() => validateBallastConfig({ failOn: value }, '.ballast.yaml')).toThrow(expect.objectContaining({ hint }));
  });

  it.each([
    ['lowestEfficiency', 0.9, 'minEfficiency'],
    ['highestWastedBytes', '20MB', 'maxWastedBytes'],
    ['highestUserWastedPercent', 0.1, 'maxWastedPercent'],
  ])("dive's rule %s written as a ci: budget names ballast's budget and dive's way", (key, value, budget) => {
    // A team moving its .dive-ci thresholds into .ballast.yaml got the key list and "see the schema", nothing saying
    // the key is dive's or what it is here.
    const hint = expect.stringMatching(new RegExp(`^${budget} is ballast's budget .*--ci-config`));
    expect(() => parseCiSettings({ [key]: value }, '.ballast.yaml')).toThrow(
      expect.objectContaining({ message: expect.stringContaining(`ci.${key} is dive's rule`), hint }),
    );
    expect(() => parseCiSettings({ images: { 'a/*': { [key]: value } } }, '.ballast.yaml')).toThrow(
      expect.objectContaining({ hint }),
    );
    // A .dive-ci's rules: section pasted into .ballast.yaml's (which holds lint rules): "must be a severity" said
    // nothing of it.
    expect(() => validateBallastConfig({ rules: { [key]: value } }, '.ballast.yaml')).toThrow(
      expect.objectContaining({ message: expect.stringContaining(`rules.${key} is dive's rule`), hint }),
    );
    expect(() => validateBallastConfig({ [key]: value }, '.ballast.yaml')).toThrow(
      expect.objectContaining({ message: `.ballast.yaml: ${key} is dive's rule, not a .ballast.yaml key`, hint }),
    );
  });

  it.each([
    [{ maxImageBytes: { compresed: '1GB' } }, 'ci.maxImageBytes.compresed', 'did you mean compressed?'],
    [{ maxImageBytes: { uncompresed: '1GB' } }, 'ci.maxImageBytes.uncompresed', 'did you mean uncompressed?'],
    [{ maxJunkBytes: { tota: '1GB' } }, 'ci.maxJunkBytes.tota', 'did you mean total?'],
    [{ maxJunkBytes: { aptList: '1GB' } }, 'ci.maxJunkBytes.aptList', 'did you mean aptLists?'],
    [{ ignore: { rule: ['IM001'] } }, 'ci.ignore.rule', 'did you mean rules?'],
    [{ ignore: { junk: ['aptList'] } }, 'ci.ignore.junk aptList', 'did you mean aptLists?'],
    // A class by the name people call it (a word of its title): pycache is Python bytecode, not aptCache.
    [{ maxJunkBytes: { pycache: '1GB' } }, 'ci.maxJunkBytes.pycache', 'did you mean pythonBytecode?'],
    [{ maxJunkBytes: { __pycache__: '1GB' } }, 'ci.maxJunkBytes.__pycache__', 'did you mean pythonBytecode?'],
    [{ maxJunkBytes: { pyc: '1GB' } }, 'ci.maxJunkBytes.pyc', 'did you mean pythonBytecode?'],
    [{ maxJunkBytes: { npm: '1GB' } }, 'ci.maxJunkBytes.npm', 'did you mean jsPackageCaches or npmLogs?'],
    [{ ignore: { junk: ['apt'] } }, 'ci.ignore.junk apt', 'did you mean aptLists or aptCache?'],
  ])('a misspelt key inside a budget (%j) names the key meant too', (ci, key, hint) => {
    // The message listed the keys, but the hint only pointed at the schema, where the top-level keys said which.
    expect(() => parseCiSettings(ci, '.ballast.yaml')).toThrow(
      expect.objectContaining({ message: expect.stringContaining(`.ballast.yaml: ${key} is not a`), hint }),
    );
  });

  it.each([0.5, '0.5', '1.5 B'])(
    'limits.maxDecompressedBytes %j is refused: a fraction of a byte, not a rounded budget',
    (value) => {
      expect(() => validateBallastConfig({ limits: { maxDecompressedBytes: value } }, '.ballast.yaml')).toThrow(
        'limits.maxDecompressedBytes must be a whole number of bytes',
      );
      // A size with a larger unit names whole bytes once rounded.
      expect(() => validateBallastConfig({ limits: { maxDecompressedBytes: '1.5MB' } }, '.ballast.yaml')).not.toThrow();
    },
  );

  it('a misspelt limits: key names the key meant', () => {
    expect(() => validateBallastConfig({ limits: { maxEntrys: 5 } }, '.ballast.yaml')).toThrow(
      expect.objectContaining({
        message: expect.stringContaining('limits.maxEntrys is not a known key'),
        hint: 'did you mean maxEntries?',
      }),
    );
  });

  it.each([
    [{ maxWastedBytes: '50MB' }, 'maxWastedBytes', 'it belongs under ci: (ci.maxWastedBytes)'],
    [{ images: {} }, 'images', 'it belongs under ci: (ci.images)'],
    [{ maxEntries: 5 }, 'maxEntries', 'it belongs under limits: (limits.maxEntries)'],
    [{ families: [] }, 'families', 'it belongs under bases: (bases.families)'],
    [{ failon: 'error' }, 'failon', 'did you mean failOn?'],
    [{ ignorePath: ['x'] }, 'ignorePath', 'did you mean ignorePaths?'],
    [{ colour: true }, 'colour', 'see schema/ballast.schema.json for the keys ballast understands'],
    // Anchors kept under a key of their own, as GitLab CI users write them: the x- key is the place for them here
    [
      { '.base': { maxImageBytes: '1GB' } },
      '.base',
      'if it holds YAML anchors for the rest of the file, name it x-base: keys starting with x- are ignored',
    ],
    [
      { defaults: { maxImageBytes: '1GB' } },
      'defaults',
      'if it holds YAML anchors for the rest of the file, name it x-defaults: keys starting with x- are ignored',
    ],
    [
      { strict: { maxImageBytes: '1GB' } },
      'strict',
      'did you mean strictLabels? or, if it holds YAML anchors for the rest of the file, name it x-strict: keys starting with x- are ignored',
    ],
  ])('an unknown top-level key %j says where it belongs, or what was meant', (config, key, hint) => {
    expect(() => validateBallastConfig(config, '.ballast.yaml')).toThrow(
      expect.objectContaining({ message: `.ballast.yaml: ${key} is not a known key`, hint }),
    );
  });

  it('flag values parse like config values and name the flag when wrong', () => {
    const budgets: CiBudgets = {};
    parseBudget(budgets, 'maxImageBytes', { compressed: '100MB' }, '--max-image-bytes', 'value');
    expect(budgets.maxImageBytes).toEqual({ compressed: 100e6 });
    expect(() => parseBudget(budgets, 'maxWastedPercent', 'lots', '--max-wasted-percent', 'value')).toThrow(
      '--max-wasted-percent: value must be a ratio',
    );
  });

  it.each([
    [{ maxImageBytes: 'huge' }, 'ci.maxImageBytes must be a size', /^a size is a number of bytes/],
    [
      { maxJunkBytes: { aptLists: Infinity } },
      'ci.maxJunkBytes.aptLists is out of range',
      /^a size is a number of bytes/,
    ],
    [{ maxWastedPercent: 'lots' }, 'ci.maxWastedPercent must be a ratio', /^a ratio is a percentage/],
  ])('a bad value in the file %j says what a value looks like, not where the keys are', (ci, message, hint) => {
    expect(() => parseCiSettings(ci, '.ballast.yaml')).toThrow(
      expect.objectContaining({
        message: expect.stringContaining(`.ballast.yaml: ${message}`),
        hint: expect.stringMatching(hint),
      }),
    );
  });

  it('the example config is valid and has budgets', () => {
    const raw = parseYaml(readFileSync('examples/.ballast.yaml', 'utf8')) as { ci: unknown };
    expect(validateBallastConfig(raw, 'examples/.ballast.yaml')).toBeTruthy();
    const settings = parseCiSettings(raw.ci, 'examples/.ballast.yaml');
    expect(settings.budgets.maxImageBytes?.uncompressed).toBeGreaterThan(0);
    expect(settings.budgets.maxGrowthPercent).toBeGreaterThan(0);
  });

  it('globs: * within a segment, ** across, **/ for any depth', () => {
    expect(globToRegExp('app/static/**').test('app/static/js/bundle.js')).toBe(true);
    expect(globToRegExp('**/testdata/**').test('testdata/Dockerfile')).toBe(true);
    expect(globToRegExp('**/testdata/**').test('a/b/testdata/x/Dockerfile')).toBe(true);
    expect(globToRegExp('vendor/*').test('vendor/a/Dockerfile')).toBe(false);
    expect(globToRegExp('a.b?').test('a.bc')).toBe(true);
    expect(globToRegExp('a.b?').test('axbc')).toBe(false);
  });

  it('globs: ** matches a name holding a newline, as * and ? already did', () => {
    expect(globToRegExp('data/**').test('data/two\nlines')).toBe(true);
    expect(globToRegExp('**/x').test('a\nb/x')).toBe(true);
    expect(globToRegExp('data/*').test('data/two\nlines')).toBe(true);
  });

  it.each([
    // The README's own example for the repeatable variables: a comma inside braces is part of the glob
    ['**/*.{pyc,pyo}', 'app/x.pyo', true],
    ['**/*.{pyc,pyo}', 'app/x.py', false],
    ['/opt/**/*.{gz,tgz}'.slice(1), 'opt/tool/tool-1.0.tar.gz', true],
    ['{opt,var,app}/**', 'var/lib/apt/lists/x', true],
    ['{opt,var,app}/**', 'usr/lib/x', false],
    ['a{b,{c,d}e}f', 'adef', true],
    ['a{b,{c,d}e}f', 'abef', false],
    ['{,x}y', 'y', true],
    // A brace with no partner is itself
    ['a{b', 'a{b', true],
    ['a}b', 'a}b', true],
  ])('globs: %s matches %s: %s (braces are alternatives)', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });
});

describe('.dive-ci', () => {
  it("takes dive's defaults for missing keys and its words for disabled", () => {
    expect(parseDiveCi({}, '.dive-ci')).toEqual({
      lowestEfficiency: 0.9,
      highestWastedBytes: null,
      highestUserWastedPercent: 0.1,
    });
    expect(
      parseDiveCi(
        {
          rules: {
            lowestEfficiency: 'disabled',
            highestWastedBytes: '20Mb',
            highestUserWastedPercent: 'off',
            'plugin1/rule1': 'error',
          },
        },
        '.dive-ci',
      ),
    ).toEqual({
      lowestEfficiency: null,
      highestWastedBytes: 20e6,
      highestUserWastedPercent: null,
    });
    expect(parseDiveCi({ rules: { highestWastedBytes: '20MiB' } }, '.dive-ci').highestWastedBytes).toBe(20 * 2 ** 20);
  });

  it.each([
    // `key:` with nothing after it is YAML null: no value, so dive's default shows through, as for a missing key
    ['rules:\n  lowestEfficiency:\n', 0.9],
    ['rules:\n  lowestEfficiency: disabled\n', null],
    ['rules:\n  lowestEfficiency: ""\n', null],
  ])('reads %j as dive does: lowestEfficiency %p', (text, expected) => {
    expect(parseDiveCi(parseYaml(text), '.dive-ci').lowestEfficiency).toBe(expected);
  });

  it.each([
    [{ rules: { lowestEfficiency: 1.5 } }, 'rules.lowestEfficiency'],
    [{ rules: { lowestEfficiency: -0.1 } }, 'rules.lowestEfficiency'],
    [{ rules: { highestUserWastedPercent: 'lots' } }, 'rules.highestUserWastedPercent'],
    [{ rules: { highestWastedBytes: '20 parsecs' } }, 'rules.highestWastedBytes'],
  ])('rejects %j, as dive refuses to run', (value, key) => {
    expect(() => parseDiveCi(value, '.dive-ci')).toThrow(key);
  });

  it.each([
    ['lowestEfficency', 'lowestEfficiency'],
    ['lowest-efficiency', 'lowestEfficiency'],
    ['HighestWastedBytes', 'highestWastedBytes'],
    ['highestUserWastedPercentage', 'highestUserWastedPercent'],
  ])('a misspelt rule key (%s) is an error naming the key dive reads, not a silent default', (key, meant) => {
    // dive would ignore it and keep its default: a gate that never checks the threshold the team wrote
    expect(() => parseDiveCi({ rules: { [key]: 0.95 } }, '.dive-ci')).toThrow(
      expect.objectContaining({
        message: expect.stringContaining(`rules.${key}`),
        hint: expect.stringContaining(meant),
      }),
    );
  });

  it('a misspelt rules: section is an error; other top-level keys and plugin rules are still ignored', () => {
    expect(() => parseDiveCi({ rule: { lowestEfficiency: 0.99 } }, '.dive-ci')).toThrow(
      expect.objectContaining({ hint: expect.stringContaining('rules') }),
    );
    expect(parseDiveCi({ plugins: ['p'], x: 1, rules: { 'plugin1/rule1': 'error' } }, '.dive-ci')).toEqual({
      lowestEfficiency: 0.9,
      highestWastedBytes: null,
      highestUserWastedPercent: 0.1,
    });
  });

  it.each([
    ['lowestEfficiency: 0.99\n', 'lowestEfficiency'],
    ['highestWastedBytes: 20MB\nhighestUserWastedPercent: 0.2\n', 'highestWastedBytes'],
    // The rule outdented under a rules: section that holds another
    ['rules:\n  lowestEfficiency: 0.95\nhighestUserWastedPercent: 0.2\n', 'highestUserWastedPercent'],
    ['lowest-efficiency: 0.99\n', 'lowestEfficiency'],
  ])('a rule at the top level, outside rules: (%j), is an error, not a silent default', (text, rule) => {
    // dive reads rules only under rules: and would keep its default (0.9, disabled, 0.1), a gate weaker than the file
    expect(() => parseDiveCi(parseYaml(text), '.dive-ci')).toThrow(
      expect.objectContaining({
        message: expect.stringContaining('is not read at the top level'),
        hint: expect.stringContaining(`rules: {${rule}:`),
      }),
    );
  });

  it('a top-level section of another tool is still ignored, whatever its name', () => {
    expect(parseDiveCi(parseYaml('history:\n  keep: 3\nrules:\n  lowestEfficiency: 0.95\n'), '.dive-ci')).toEqual({
      lowestEfficiency: 0.95,
      highestWastedBytes: null,
      highestUserWastedPercent: 0.1,
    });
  });

  it("a rule with no value (YAML null) takes dive's default for that rule, as a missing key does", () => {
    // dive looks each rule up with its default underneath the file: a null is no value, so the default shows through
    const empty = parseYaml('rules:\n  lowestEfficiency:\n  highestWastedBytes:\n  highestUserWastedPercent:\n');
    expect(parseDiveCi(empty, '.dive-ci')).toEqual({
      lowestEfficiency: 0.9,
      highestWastedBytes: null,
      highestUserWastedPercent: 0.1,
    });
    // ... and only that rule: the others keep the file's values
    expect(parseDiveCi(parseYaml('rules:\n  lowestEfficiency:\n  highestWastedBytes: 1KB\n'), '.dive-ci')).toEqual({
      lowestEfficiency: 0.9,
      highestWastedBytes: 1000,
      highestUserWastedPercent: 0.1,
    });
    // The text "" is dive's word for disabled, not a missing value
    expect(parseDiveCi({ rules: { lowestEfficiency: '' } }, '.dive-ci').lowestEfficiency).toBeNull();
  });

  it.each([
    ['1e-1', 0.1],
    ['.5', 0.5],
    ['1.', 1],
    ['+0.25', 0.25],
    ['5E-1', 0.5],
    ['0x1p-2', 0.25],
  ])('a fraction written as Go reads floats (%s) is taken', (text, expected) => {
    const rules = parseDiveCi({ rules: { lowestEfficiency: text, highestUserWastedPercent: text } }, '.dive-ci');
    expect(rules.lowestEfficiency).toBe(expected);
    expect(rules.highestUserWastedPercent).toBe(expected);
  });

  it.each([
    ['20Mi', 20 * 2 ** 20],
    ['20mib', 20 * 2 ** 20],
    ['1PB', 1e15],
    ['1 pb', 1e15],
    ['2Pi', 2 * 2 ** 50],
    ['1,000', 1000],
    ['1,000 KB', 1e6],
    ['20 MB', 20e6],
    ['1.5k', 1500],
    ['.5KiB', 512],
    ['1000.9', 1000],
    ['7b', 7],
    [1e6, 1e6],
  ])("highestWastedBytes %j is read as dive's size parser reads it", (text, expected) => {
    expect(parseDiveCi({ rules: { highestWastedBytes: text } }, '.dive-ci').highestWastedBytes).toBe(expected);
  });

  it.each([' 20MB', '1e6', '20 parsecs', '-5', '1.2.3', 'MB', '20MBs', '20 M B'])(
    'highestWastedBytes %j is refused, as dive refuses it',
    (text) => {
      expect(() => parseDiveCi({ rules: { highestWastedBytes: text } }, '.dive-ci')).toThrow(
        'rules.highestWastedBytes',
      );
    },
  );

  it('a size over what ballast can count exactly (9PB) names the limit', () => {
    expect(() => parseDiveCi({ rules: { highestWastedBytes: '1EB' } }, '.dive-ci')).toThrow(/out of range.*9PB/);
  });

  it.each([[[]], [0.9], ['lowestEfficiency: 0.9']])('rules: %j is refused with the shape dive reads', (rules) => {
    // Its hint sent the reader to ballast's schema, which does not describe a .dive-ci.
    expect(() => parseDiveCi({ rules }, '.dive-ci')).toThrow(
      expect.objectContaining({
        message: '.dive-ci: rules must be a mapping of rule names to values',
        hint: 'write rules: {lowestEfficiency: 0.9, ...}',
      }),
    );
  });

  it('a value YAML reads as Infinity or NaN (.inf, .nan) is named as such, not as null', () => {
    expect(() => parseDiveCi({ rules: { lowestEfficiency: Infinity } }, '.dive-ci')).toThrow('(got Infinity)');
    expect(() => parseDiveCi({ rules: { highestUserWastedPercent: NaN } }, '.dive-ci')).toThrow('(got NaN)');
    expect(() => parseDiveCi({ rules: { highestWastedBytes: Infinity } }, '.dive-ci')).toThrow('(got Infinity;');
    expect(() => parseDiveCi({ rules: { highestWastedBytes: -Infinity } }, '.dive-ci')).toThrow('(got -Infinity)');
  });

  it("a value error's hint says what dive takes, not ballast's schema", () => {
    expect(() => parseDiveCi({ rules: { lowestEfficiency: '95%' } }, '.dive-ci')).toThrow(
      expect.objectContaining({ hint: expect.stringContaining('0.95') }),
    );
    expect(() => parseDiveCi({ rules: { highestWastedBytes: 'lots' } }, '.dive-ci')).toThrow(
      expect.objectContaining({ hint: expect.not.stringContaining('schema') }),
    );
  });
});

describe('schema/ballast.schema.json ci:', () => {
  it('accepts the example budgets and rejects what the loader rejects', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(
      JSON.parse(readFileSync('schema/ballast.schema.json', 'utf8')),
    );
    expect(validate(parseYaml(readFileSync('examples/.ballast.yaml', 'utf8')))).toBe(true);
    expect(validate({ ci: { maxImageBytes: 'huge' } })).toBe(false);
    // Sizes as the loader takes them: a unit may carry a fraction, a byte count may not.
    for (const size of ['1.5MB', '20Mi', '1,000', '1e9', '2.5e3', '500 B', '1.5GiB', '7.0'])
      expect({ size, valid: validate({ ci: { maxImageBytes: size } }) }).toEqual({ size, valid: true });
    for (const size of ['0.5', '1.5 B', '0.5b', '2.5e-1'])
      expect({ size, valid: validate({ ci: { maxImageBytes: size } }) }).toEqual({ size, valid: false });
    expect(validate({ ci: { maxImageByte: '1GB' } })).toBe(false);
    expect(validate({ ci: { maxImageBytes: { compressed: '1GB', packed: 1 } } })).toBe(false);
    expect(validate({ ci: { images: { 'a/*': { maxLayerBytes: null, maxJunkBytes: { aptLists: 0 } } } } })).toBe(true);
    expect(validate({ ci: { maxImageBytes: {} } })).toBe(false);
    expect(validate({ ci: { images: { 'a/*': { maxJunkBytes: {} } } } })).toBe(false);
  });
});
