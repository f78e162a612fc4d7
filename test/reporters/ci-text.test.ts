// The budgets table of `ballast ci`'s text report: a skipped budget shows why it was skipped, the part of its message
// after its title, whatever the title holds.
import type { Check } from '../../src/report/types.js';
import { renderCiText } from '../../src/reporters/ci-text.js';
import type { CiResult } from '../../src/services/ci.js';
import { ciResult as result, failOnCheck, gatedPlatforms } from '../helpers/ci-result.js';

function skipped(title: string, reason: string): Check {
  return {
    id: 'someBudget',
    title,
    target: '',
    status: 'skip',
    value: null,
    limit: null,
    unit: 'bytes',
    message: `${title}: ${reason}`,
    locations: [],
  };
}

describe('ci text report, skipped budgets', () => {
  it.each([
    ['wasted bytes', 'no limit set'],
    ['wasted bytes (dive: every copy of a duplicated path)', 'no limit set'],
    ['efficiency', 'not measured: the image has one layer'],
  ])('a budget titled %j shows %j', (title, reason) => {
    const row = renderCiText(result([skipped(title, reason)]), { color: false })
      .split('\n')
      .find((l) => l.startsWith('SKIP'))!;
    expect(row.trimEnd()).toMatch(new RegExp(`^SKIP\\s+someBudget\\s+.*\\s{2}${reason.replace(/[().:]/g, '\\$&')}$`));
  });
});

// Regression: at 60 columns an image named by a path and a tag (`examples/demo/demo.tar:docker.io/...:latest`) went on
// the headline's second line, indented and with the `,` after it: 63 columns.
describe('ci text report, a headline naming an image wider than its indented lines', () => {
  const reference = 'examples/demo/demo.tar';
  const tag = 'docker.io/library/ballast-demo:latest';
  const named = { ...result([]), image: { reference, tag, platform: 'linux/amd64' } } as unknown as CiResult;
  it('at 60 columns names it whole on a line of its own, under the verdict, and no line runs over', () => {
    const lines = renderCiText(named, { color: false, width: 60 }).split('\n');
    expect(lines.slice(0, 2)).toEqual([`PASS linux/amd64: no budget set`, `${reference}:${tag}`]);
    expect(lines.filter((l) => l.length > 60)).toEqual([]);
  });
  it('at 80 columns keeps it in the headline, the platform after it', () => {
    const lines = renderCiText(named, { color: false, width: 80 }).split('\n');
    expect(lines.slice(0, 2)).toEqual([`PASS ${reference}:${tag},`, '  linux/amd64: no budget set']);
  });
});

describe('ci text report, headline of a pass', () => {
  // A job that set only `compressed=500MB` on a docker-save archive (stored uncompressed: not measured) was told
  // "every budget met" although no budget was checked; the SKIP row below said why, the line a reader stops at did not.
  it('names the budgets set but not measured', () => {
    const notMeasured = { ...skipped('compressed image size', 'not measured: stored uncompressed'), limit: 500e6 };
    notMeasured.id = 'maxImageBytes.compressed';
    const head = renderCiText(result([notMeasured, skipped('wasted bytes', 'no limit set')]), { color: false }).split(
      '\n',
    )[0];
    expect(head).toBe('PASS app.tar: no budget failed; 1 budget set but not measured (maxImageBytes.compressed)');
  });

  const failOn = (status: 'pass' | 'skip'): Check => ({
    ...skipped('findings at or above error', status === 'skip' ? 'failOn is none' : ''),
    id: 'failOn',
    status,
    limit: status === 'skip' ? null : 0,
    value: 0,
  });

  it('says every budget met when each one set was measured', () => {
    const met: Check = { ...skipped('wasted bytes', ''), status: 'pass', value: 1, limit: 2 };
    const head = renderCiText(result([met, skipped('efficiency', 'no limit set'), failOn('pass')]), {
      color: false,
    }).split('\n')[0];
    expect(head).toBe('PASS app.tar: every budget met');
  });

  // A first run with no config passed with "every budget met" when no size budget was set at all: only failOn.
  it('says no budget is set when none is but failOn, or none at all', () => {
    const head = (checks: Check[]) => renderCiText(result(checks), { color: false }).split('\n')[0];
    expect(head([skipped('wasted bytes', 'no limit set'), failOn('pass')])).toBe(
      'PASS app.tar: no budget set; failOn met',
    );
    expect(head([skipped('wasted bytes', 'no limit set'), failOn('skip')])).toBe('PASS app.tar: no budget set');
  });
});

// A matrix job gating each platform of a multi-platform image got the same headline for each: only JSON named it.
describe('ci text report, the platform gated', () => {
  it.each(gatedPlatforms)('%j: %s%s', (image, name, platform) => {
    const r = { ...result([]), image } as unknown as CiResult;
    expect(renderCiText(r, { color: false }).split('\n')[0]).toBe(`PASS ${name}${platform}: no budget set`);
  });
});

describe('ci text report, findings count', () => {
  const more = '; --format sarif/junit/json or --output FORMAT=FILE for all of them';
  it.each([
    // [the line, error, warning, info]: it read "25 findings (1 error, 14 warning, 10 info)", lint "14 warnings"
    [`25 findings (1 error, 14 warnings, 10 info)${more}`, 1, 14, 10],
    // With none, three zeros say nothing more
    ['0 findings', 0, 0, 0],
    [`4 findings (2 errors, 1 warning, 1 info)${more}`, 2, 1, 1],
  ])('counts in plurals as lint does: %s', (line, error, warning, info) => {
    const findings = Array.from({ length: error + warning + info }, () => ({}));
    const text = renderCiText(
      {
        ...result([]),
        report: { targets: [{ target: 'app.tar', findings, stats: {} }], counts: { error, warning, info, style: 0 } },
      } as unknown as CiResult,
      { color: false, width: 200 },
    );
    expect(text.split('\n').at(-2)).toBe(line);
  });
});

describe('ci text report, at the terminal width', () => {
  const budget = (id: string, title: string, message: string): Check => ({
    id,
    title,
    target: '',
    status: 'fail',
    value: 93e6,
    limit: 0,
    unit: 'bytes',
    message,
    locations: [
      {
        file: 'Dockerfile',
        line: 11,
        layerIndex: 1,
        bytes: 93e6,
        text: 'RUN apt-get update && apt-get install -y curl python3 git build-essential',
      },
    ],
  });
  const finding = (code: string, message: string) => ({
    code,
    rule: code,
    severity: 'warning',
    message,
    messageId: code,
    bytes: 93e6,
    location: { kind: 'image', image: 'app.tar', layerIndex: 1, file: 'Dockerfile', line: 11 },
  });
  const failing = (): CiResult => {
    const checks = [
      budget(
        'maxJunkBytes.aptCache',
        'junk: apt cache and downloaded .debs',
        'junk: apt cache and downloaded .debs 93.0 MB is over the 0 B limit (maxJunkBytes.aptCache); largest: /var/cache/apt/pkgcache.bin 40.0 MB, /var/cache/apt/srcpkgcache.bin 40.0 MB, /var/cache/apt/archives/libpython3.11-stdlib_3.11.2-6+deb12u9_amd64.deb 1.80 MB',
      ),
      budget(
        'maxImageBytes.compressed',
        'compressed image size',
        'compressed image size 385 MB is over the 200 MB limit (maxImageBytes.compressed)',
      ),
      budget('maxWastedPercent', 'wasted share of your layers', 'wasted share of your layers 46% is over 10%'),
    ];
    return {
      ...result(checks),
      image: { reference: '/home/runner/work/app/app/build/images/bloated-image.oci' },
      verdict: 'fail',
      counts: { pass: 0, fail: checks.length, skip: 0 },
      fixFirst: [
        finding('IM002', '/var/cache/apt (93.0 MB) is left in layer 1: add `rm -rf /var/cache/apt/*` to the same RUN'),
        finding('IM001', 'apt package lists (87.4 MB, 10 files) are left in layer 1: remove /var/lib/apt/lists/*'),
      ],
      report: {
        targets: [{ target: 'app.tar', findings: [], stats: {} }],
        counts: { error: 1, warning: 15, info: 10, style: 0 },
      },
    } as unknown as CiResult;
  };

  it.each([60, 80])('keeps every line within %i columns, wrapping the prose and cutting the instructions', (width) => {
    const text = renderCiText(failing(), { color: false, width });
    const lines = text.split('\n');
    // But for a path wider than a line: whole, on a line of its own (broken, it copied as two paths)
    expect(lines.filter((l) => l.length > width && !/^ *\S+$/.test(l))).toEqual([]);
    expect(text).toContain('/var/cache/apt/archives/libpython3.11-stdlib_3.11.2-6+deb12u9_amd64.deb');
    // Wrapped, not cut: every character of the headline and the reasons is still there, further lines indented.
    const solid = (t: string) => t.replace(/\s+/g, '');
    expect(solid(text)).toContain(
      solid(
        'FAIL /home/runner/work/app/app/build/images/bloated-image.oci: 3 budgets failed (maxJunkBytes.aptCache, maxImageBytes.compressed, maxWastedPercent)',
      ),
    );
    expect(solid(text)).toContain(solid(failing().checks[0].message));
    expect(lines[1]).toMatch(/^ {2}\S/);
    const reason = lines.findIndex((l) => l.startsWith('  FAIL junk: apt cache'));
    expect(lines[reason + 1]).toMatch(/^ {7}\S/);
    // A finding's message is wrapped, whole (it ends with the fix); a Dockerfile line is cut, with the ellipsis, the
    // columns before it whole.
    expect(solid(text)).toContain(solid(failing().fixFirst[0].message));
    const fixFirst = lines.find((l) => l.includes('IM002'))!;
    expect(fixFirst).toMatch(/^93\.0 MB {2}Dockerfile:11 \(layer 1\) {2}IM002( {2}\/var\/cache\/apt .*)?$/);
    expect(lines.find((l) => l.includes('RUN apt-get'))).toMatch(
      /^ {7}Dockerfile:11 \(layer 1\) {2}93\.0 MB {2}RUN apt-get.*…$/,
    );
  });
});

describe('ci text report, the budgets table at the terminal width', () => {
  const check = (id: string, title: string, status: Check['status'], value: number, limit: number): Check => ({
    id,
    title,
    target: '',
    status,
    value: status === 'skip' ? null : value,
    limit,
    unit: 'bytes',
    measure: 'tar',
    message:
      status === 'skip'
        ? `${title}: no layers of yours: yours are the layers of the Dockerfile's instructions after its FROM`
        : `${title} is over the limit (${id})`,
    locations: [],
  });
  const budgets = (): CiResult =>
    ({
      ...result([
        check('maxImageBytes', 'uncompressed image size', 'fail', 693e6, 600e6),
        check('maxLayerBytes', 'biggest layer of yours', 'skip', 0, 200e6),
        check('maxJunkBytes.aptLists', 'junk: apt package lists', 'pass', 0, 100e6),
      ]),
      verdict: 'fail',
      counts: { pass: 1, fail: 1, skip: 1 },
    }) as CiResult;
  const table = (width: number) => {
    const lines = renderCiText(budgets(), { color: false, width }).split('\n');
    const start = lines.indexOf('Budgets');
    return lines.slice(start + 1, lines.indexOf('', start));
  };

  it('keeps the figures at 60 columns; the titles go, and a skip says why under its row, whole', () => {
    const at60 = table(60);
    expect(at60.filter((l) => l.length > 60)).toEqual([]);
    expect(at60).toContainEqual(expect.stringMatching(/^FAIL {2}maxImageBytes +693 MB \(tar\) +600 MB$/));
    expect(at60.join('\n')).not.toContain('uncompressed image size');
    const skip = at60.findIndex((l) => l.startsWith('SKIP  maxLayerBytes'));
    const reason = at60.slice(skip + 1, skip + 3);
    for (const l of reason) expect(l).toMatch(/^ {6}\S/);
    expect(reason.join(' ').replace(/\s+/g, ' ').trim()).toBe(
      "no layers of yours: yours are the layers of the Dockerfile's instructions after its FROM",
    );
  });

  it("puts each budget's value and limit under its id at 40 columns, where the rows ran to 43", () => {
    const at40 = table(40);
    expect(at40.filter((l) => l.length > 40)).toEqual([]);
    const row = at40.indexOf('FAIL  maxImageBytes');
    expect(row).toBeGreaterThan(0);
    expect(at40[row + 1]).toMatch(/^ {6}693 MB \(tar\) +600 MB$/);
    // the figures right-aligned under their headers, and a skip's reason still under its row
    expect(at40[1]).toMatch(/^ {6} *value +limit$/);
    expect(at40[1].length).toBe(at40[row + 1].length);
    const skip = at40.indexOf('SKIP  maxLayerBytes');
    expect(at40[skip + 1]).toMatch(/^ {6} *- +200 MB$/);
    expect(at40[skip + 2]).toMatch(/^ {6}no layers of yours/);
  });

  it('keeps the titles beside the figures at 80 columns, and in a pipe', () => {
    for (const width of [80, undefined]) {
      const lines = renderCiText(budgets(), { color: false, width }).split('\n');
      expect(lines).toContainEqual(
        expect.stringMatching(/^FAIL {2}maxImageBytes +693 MB \(tar\) +600 MB {2}uncompressed/),
      );
      expect(lines).toContainEqual(expect.stringMatching(/^SKIP {2}maxLayerBytes +- +200 MB {2}no layers of yours/));
    }
    expect(table(80).filter((l) => l.length > 80)).toEqual([]);
  });
});

// A layer's size in the layer budgets is its uncompressed tar size (as diff's "Tar size" column), a little more than
// the file bytes analyze's layer table shows for the same layer: the text says which it is. The mark follows the
// check's `measure`, not its id or the wording of its message (the service writes the mark into the message itself).
describe('ci text report, layer sizes of the layer budgets', () => {
  const over = (id: string, measure: Check['measure'], message: string): Check => ({
    id,
    title: 'a title',
    target: '',
    status: 'fail',
    value: 488e6,
    limit: 300e6,
    unit: 'bytes',
    ...(measure ? { measure } : {}),
    message,
    locations: [{ layerIndex: 1, bytes: 488e6 }],
  });
  it.each([
    // [budget, measure, its message, its value in the budgets table, its row under the reason]
    [
      'maxLayerBytes',
      'tar',
      'the biggest of your layers, 488 MB (tar), is past 300 MB',
      '488 MB (tar)',
      '488 MB (tar)',
    ],
    ['maxImageBytes', 'tar', 'uncompressed image size 488 MB (tar) is over', '488 MB (tar)', '488 MB (tar)'],
    // Not tar sizes: as they were, whatever the id
    ['maxImageBytes.compressed', undefined, 'compressed image size 488 MB is over', '488 MB', '488 MB'],
    ['maxWastedBytes', undefined, 'wasted bytes 488 MB is over', '488 MB', '488 MB'],
    ['maxLayerBytes', undefined, 'biggest layer of yours 488 MB is over', '488 MB', '488 MB'],
  ] as [string, Check['measure'], string, string, string][])(
    '%s (measure %s): %j reads %s, its row %s',
    (id, measure, message, value, row) => {
      const r = {
        ...result([over(id, measure, message)]),
        verdict: 'fail',
        counts: { pass: 0, fail: 1, skip: 0 },
      } as CiResult;
      const lines = renderCiText(r, { color: false }).split('\n');
      const budget = lines.find((l) => l.startsWith(`FAIL  ${id} `))!;
      expect(budget).toMatch(new RegExp(`^FAIL  ${id}\\s+${value.replace(/[().]/g, '\\$&')}  300 MB  a title$`));
      // The reason is the message as the service wrote it, which the other formats carry too.
      const at = lines.indexOf(`  FAIL ${message}`);
      expect(at).toBeGreaterThan(-1);
      expect(lines[at + 1].trim()).toBe(`layer 1  ${row}`);
    },
  );
});

// A monorepo's Dockerfile (`-f services/payments-api/docker/Dockerfile`) named whole in every row left the message or
// instruction after it ten columns, and past that floor the rows ran over the terminal: 80 columns at COLUMNS=60,
// 86 where the size was a tar size. Rows name the file as analyze's layer table does: by its base name when the
// path leaves too little, cut in its middle when even that does not fit.
describe('ci text report, a long Dockerfile path at the terminal width', () => {
  const place = (file: string, line: number, layerIndex: number, bytes: number, text: string) => ({
    file,
    line,
    layerIndex,
    bytes,
    text,
  });
  const over = (file: string, id: string, measure?: 'tar'): Check => ({
    id,
    title: id,
    target: '',
    status: 'fail',
    value: 693e6,
    limit: 400e6,
    unit: 'bytes',
    ...(measure ? { measure } : {}),
    message: `${id} is over the limit (${id})`,
    locations: [
      place(file, 11, 1, 236e6, 'RUN apt-get update && apt-get install -y curl python3 git build-essential'),
      place(file, 45, 10, 25, 'RUN rm -rf /tmp/toolchain'),
    ],
  });
  const finding = (file: string, code: string, message: string) => ({
    code,
    rule: code,
    severity: 'warning',
    message,
    messageId: code,
    bytes: 93e6,
    location: { kind: 'image', image: 'app.tar', layerIndex: 10, file, line: 11 },
  });
  const failing = (file: string): CiResult => {
    const checks = [over(file, 'maxImageBytes', 'tar'), over(file, 'maxImageBytes.compressed')];
    return {
      ...result(checks),
      verdict: 'fail',
      counts: { pass: 0, fail: checks.length, skip: 0 },
      fixFirst: [
        finding(file, 'IM002', '/var/cache/apt (93.0 MB) is left in layer 1: add `rm -rf /var/cache/apt/*`'),
        {
          ...finding(file, 'DF014', 'apt-get install without --no-install-recommends'),
          location: { kind: 'dockerfile', file, line: 36, column: 1 },
        },
      ],
    } as unknown as CiResult;
  };
  const rows = (text: string) => text.split('\n').filter((l) => /RUN |IM002|DF014/.test(l));

  it.each([
    // [Dockerfile, width, how the rows name it, whether the messages are beside the columns]
    ['services/payments-api/docker/Dockerfile', 60, /(^| )Dockerfile:\d/, false],
    ['services/payments-api/docker/Dockerfile', 80, /(^| )Dockerfile:\d/, true],
    // With room for the message beside it, the path stays whole
    ['services/payments-api/docker/Dockerfile', 100, /(^| )services\/payments-api\/docker\/Dockerfile:\d/, true],
    // The findings' messages go under their rows, which then have room for the path: named whole there
    ['../rvci/Dockerfile', 60, /(^| )(\.\.\/rvci\/)?Dockerfile:\d/, false],
    ['../rvci/Dockerfile', 100, /(^| )\.\.\/rvci\/Dockerfile:\d/, true],
    // A base name too long itself is cut in its middle: its start and its end, with the line, stay. At 80 the room
    // left beside the columns is narrower than the code span `rm -rf /var/cache/apt/*`: the messages go under.
    ['services/payments-api/docker/payments-api.production.Dockerfile', 60, /(^| )paym\S*…\S*file:\d/, false],
    ['services/payments-api/docker/payments-api.production.Dockerfile', 80, /(^| )paym\S*…\S*file:\d/, false],
    [
      'services/payments-api/docker/payments-api.production.Dockerfile',
      100,
      /(^| )payments-api\.production\.Dockerfile:\d/,
      true,
    ],
  ])('%s at %i columns: every row fits, naming it as %s', (file, width, named, beside) => {
    const text = renderCiText(failing(file), { color: false, width });
    expect(text.split('\n').filter((l) => l.length > width)).toEqual([]);
    expect(rows(text)).toHaveLength(6);
    for (const row of rows(text)) {
      expect(row).toMatch(named);
      // The line, the layer and the size are never cut, and the last cell keeps a few words; a finding's message,
      // which is never cut, goes under its row when the row leaves it too little
      expect(row).toMatch(/file:(11 \(layer 1|45 \(layer 10\)|36 )/);
      expect(row).toMatch(beside ? /(RUN|IM002|DF014) +\S{2}/ : /RUN +\S{2}|(IM002|DF014)$/);
    }
    expect(rows(text).find((l) => l.includes('236 MB (tar)'))).toMatch(/:11 \(layer 1\) +236 MB \(tar\) {2}RUN apt/);
  });

  // Regression: the rows were named by the base name to leave the messages room beside them even when the messages
  // went under the rows anyway (a code span wider than that room), which leaves the rows the whole line.
  it.each([
    [60, /^93\.0 MB {2}Dockerfile:11 \(layer 10\) {2}IM002$/],
    [80, /^93\.0 MB {2}services\/payments-api\/docker\/Dockerfile:11 \(layer 10\) {2}IM002$/],
  ])('at %i columns, with the messages under the rows, names the file whole where it fits', (width, row) => {
    const file = 'services/payments-api/docker/Dockerfile';
    const fix = 'add `&& rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb` to the same RUN';
    const r = { ...failing(file), fixFirst: [finding(file, 'IM002', `apt leftovers are in layer 1: ${fix}`)] };
    const lines = renderCiText(r as CiResult, { color: false, width }).split('\n');
    expect(lines.filter((l) => l.length > width)).toEqual([]);
    const at = lines.findIndex((l) => l.includes('IM002'));
    expect(lines[at]).toMatch(row);
    expect(lines[at + 1]).toMatch(/^ {4}apt leftovers/);
  });

  it("keeps a budget's instructions and its Dockerfile's path whole with no width given (a CI log, a file)", () => {
    // Piped, they were cut to 120 columns, as analyze's layer table was: a CI log lost the end of a long RUN line.
    const file = `services/${'payments-api/'.repeat(4)}docker/Dockerfile`;
    const run = `RUN ${'step && '.repeat(20)}done`;
    const check = over(file, 'maxImageBytes', 'tar');
    check.locations[0].text = run;
    const text = renderCiText({ ...failing(file), checks: [check] }, { color: false });
    expect(text).toMatch(
      new RegExp(`^ +${file}:11 \\(layer 1\\) +236 MB \\(tar\\) {2}${run.replace(/&/g, '\\&')}$`, 'm'),
    );
    expect(text).toMatch(new RegExp(`^ +${file}:45 \\(layer 10\\) +25 B \\(tar\\) {2}RUN rm -rf /tmp/toolchain$`, 'm'));
    // A terminal or COLUMNS of 120 still cuts them, as before.
    const at120 = renderCiText({ ...failing(file), checks: [check] }, { color: false, width: 120 });
    expect(at120.split('\n').filter((l) => l.length > 120)).toEqual([]);
    expect(at120).toMatch(/ {2}RUN step && .*…$/m);
  });
});

// failOn counts every finding at or above its severity and lists the first five with a place: "6 findings" over five
// rows read as if one was forgotten.
describe('ci text report, a failOn with more findings than it lists', () => {
  const failOn = (value: number, listed: number): Check =>
    failOnCheck(
      value,
      Array.from({ length: listed }, (_, i) => ({
        file: 'Dockerfile',
        line: 10 + i,
        rule: 'DF014',
        text: 'DF014 apt-get install without --no-install-recommends',
      })),
      'warning',
    );
  it.each([
    // [counted, listed, the line under the rows]
    [6, 5, '       …and 1 more finding'],
    [14, 5, '       …and 9 more findings'],
    // A finding on no place is counted and not listed: said too
    [3, 2, '       …and 1 more finding'],
    [5, 5, undefined],
  ])('%i counted, %i listed: %s', (value, listed, line) => {
    const r = {
      ...result([failOn(value, listed)]),
      verdict: 'fail',
      counts: { pass: 0, fail: 1, skip: 0 },
    } as CiResult;
    const lines = renderCiText(r, { color: false }).split('\n');
    const last = lines.findLastIndex((l) => l.includes('DF014 apt-get'));
    expect(lines.filter((l) => l.includes('DF014 apt-get'))).toHaveLength(listed);
    expect(lines[last + 1]).toBe(line ?? '');
  });
});

// In a CI log (no terminal, no COLUMNS) each "Fix first" row was cut at 120 columns, before the fix it ends with
// ("…add `&& r…"), and failOn's findings under "Why it failed" the same. A finding's message is wrapped to a width
// the terminal or COLUMNS gave, never cut; without one it stays whole on its line, as the tables' values do.
describe('ci text report, the fixes are whole', () => {
  const message =
    'apt package lists (87.4 MB, 10 files) are left in layer 1 (line 11); add `&& rm -rf /var/lib/apt/lists/*` at the end of the RUN that runs apt-get update';
  const finding = {
    code: 'IM001',
    rule: 'IM001',
    severity: 'error',
    message,
    messageId: 'IM001',
    bytes: 87.4e6,
    location: { kind: 'image', image: 'app.tar', layerIndex: 1, file: 'Dockerfile', line: 11 },
  };
  const failOn = failOnCheck(1, [
    { file: 'Dockerfile', line: 11, layerIndex: 1, bytes: 87.4e6, rule: 'IM001', text: `IM001 ${message}` },
  ]);
  const r = {
    ...result([failOn]),
    verdict: 'fail',
    counts: { pass: 0, fail: 1, skip: 0 },
    fixFirst: [finding],
  } as unknown as CiResult;
  const solid = (t: string) => t.replace(/\s+/g, '');

  it.each([
    // [width given by the terminal or COLUMNS, the widest a line may be]: none in a pipe, a CI log or a file, where
    // the tables keep their values whole and the messages are kept whole on their lines as well
    [undefined, Infinity],
    [200, 200],
    [80, 80],
    [60, 60],
  ])('width %s: each message whole, on lines of at most %s columns', (width, widest) => {
    const text = renderCiText(r, { color: false, width });
    const lines = text.split('\n');
    expect(lines.filter((l) => l.length > widest)).toEqual([]);
    if (width === undefined) {
      expect(lines).toContainEqual(expect.stringMatching(/^87\.4 MB {2}Dockerfile:11 \(layer 1\) {2}IM001 {2}apt /));
      expect(lines.filter((l) => l.endsWith(message))).toHaveLength(2);
    }
    expect(text).not.toContain('…');
    const fix = text.slice(text.indexOf('Fix first'), text.indexOf('Budgets'));
    expect(solid(fix)).toContain(solid(message));
    const why = text.slice(text.indexOf('Why it failed'));
    expect(solid(why)).toContain(solid(`IM001 ${message}`));
    // The row's first line still has its size, place and code in their columns; at 60 the message starts under it
    expect(lines).toContainEqual(
      expect.stringMatching(
        width === 60
          ? /^87\.4 MB {2}Dockerfile:11 \(layer 1\) {2}IM001$/
          : /^87\.4 MB {2}Dockerfile:11 \(layer 1\) {2}IM001 {2}apt /,
      ),
    );
  });

  it('wraps the message under its own start when the line leaves it room', () => {
    const lines = renderCiText(r, { color: false, width: 120 }).split('\n');
    const first = lines.findIndex((l) => l.startsWith('87.4 MB'));
    const start = lines[first].indexOf('apt package');
    expect(lines[first + 1]).toMatch(new RegExp(`^ {${start}}\\S`));
  });
});

// At 80 columns a code span wider than the room beside the columns (a long path, a command) got a line of its own
// starting at column 55, and ran on to column 99: the messages go under their rows instead.
describe('ci text report, a code span wider than the room beside the columns', () => {
  const finding = (code: string, message: string) => ({
    code,
    rule: code,
    severity: 'warning',
    message,
    messageId: code,
    bytes: 250e3,
    location: { kind: 'image', image: 'demo.tar', layerIndex: 1, file: 'examples/demo/Dockerfile', line: 8 },
  });
  const r = {
    ...result([]),
    fixFirst: [
      finding(
        'IM002',
        '/var/cache/apt/archives (250 kB) is left in layer 1 (line 8), largest `/var/cache/apt/archives/tool_1.0_amd64.deb` (250 kB); run `apt-get clean` in the same RUN as `apt-get install`',
      ),
      finding('IM001', 'apt package lists (600 kB, 1 file) are left in layer 1 (line 8); add `&& rm -rf /x/*`'),
    ],
  } as unknown as CiResult;

  it.each([80, 90])('puts every message under its row at %i columns, each line within them', (width) => {
    const text = renderCiText(r, { color: false, width });
    const lines = text.split('\n');
    expect(lines.filter((l) => l.length > width)).toEqual([]);
    // The rows read alike: size, place and code, each message starting under them at the row's indent
    for (const code of ['IM002', 'IM001']) {
      const row = lines.findIndex((l) => l.endsWith(code));
      expect(lines[row]).toMatch(new RegExp(`^ ?250 kB {2}examples/demo/Dockerfile:8 \\(layer 1\\) {2}${code}$`));
      expect(lines[row + 1]).toMatch(/^ {4}\S/);
    }
    expect(lines).toContainEqual(expect.stringMatching(/^ {4}.*`\/var\/cache\/apt\/archives\/tool_1\.0_amd64\.deb`/));
  });

  it('keeps the messages beside the columns when the line leaves room for the span', () => {
    const lines = renderCiText(r, { color: false, width: 120 }).split('\n');
    expect(lines.filter((l) => l.length > 120)).toEqual([]);
    expect(lines).toContainEqual(expect.stringMatching(/ {2}IM002 {2}\/var\/cache\/apt\/archives \(250 kB\)/));
  });
});
