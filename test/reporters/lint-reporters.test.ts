// The lint reporters over one real report: SARIF validated against the SARIF 2.1.0 schema, github one annotation per
// finding with workflow-command escaping, and the XML/JSON formats carrying every finding.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadReporter } from '../../src/reporters/index.js';
import { lint } from '../../src/services/lint.js';
import type { Report } from '../../src/report/types.js';
import { parseJunit } from '../helpers/junit.js';
import { sarifValidator } from '../helpers/sarif.js';

async function sampleReport(): Promise<Report> {
  // Given two Dockerfiles: one with findings of each severity (one with a fix), one clean
  const dir = mkdtempSync(join(tmpdir(), 'ballast-reporters-'));
  writeFileSync(
    join(dir, 'Dockerfile'),
    'FROM debian:latest\nRUN apt-get update && apt-get install -y curl=7.88.1-10\nADD app.py /app/\nCMD python3 /app/app.py\n',
  );
  writeFileSync(join(dir, 'clean.Dockerfile'), 'FROM alpine:3.20\nUSER 1000\nCMD ["true"]\n');
  return (await lint({ files: ['Dockerfile', 'clean.Dockerfile'], cwd: dir, version: '0.1.0' })).report;
}

describe('lint reporters', () => {
  let report: Report;
  beforeAll(async () => {
    report = await sampleReport();
  });
  const total = () => report.targets.reduce((n, t) => n + t.findings.length, 0);

  it('sarif: valid SARIF 2.1.0 (the published JSON schema), one result per finding, rules indexed', async () => {
    const validate = sarifValidator();
    const sarif = JSON.parse((await loadReporter('sarif'))(report, { color: false, cwd: '/' }));
    const valid = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // And a broken log is rejected, so the check can fail
    expect(validate({ ...sarif, version: '2.0.0' })).toBe(false);
    const run = sarif.runs[0];
    expect(run.results).toHaveLength(total());
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
    const add = run.results.find((r: { ruleId: string }) => r.ruleId === 'DF017');
    expect(add.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'Dockerfile', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 1, endLine: 3, endColumn: 17 },
    });
    expect(add.fixes[0].artifactChanges[0].replacements[0].insertedContent.text).toBe('COPY');
  });

  it('github: one annotation line per finding, properties and data escaped', async () => {
    const text = (await loadReporter('github'))(report, { color: false, cwd: '/' });
    const lines = text.split('\n');
    expect(lines).toHaveLength(total());
    expect(lines).toContain(
      '::warning file=Dockerfile,line=1,col=1,endLine=1,endColumn=19,title=DF023 base-image-latest::FROM `debian:latest` uses the `latest` tag: builds change whenever the image is republished; pin a version tag (or a digest).',
    );
    const odd: Report = {
      ...report,
      targets: [
        {
          target: 'a,b:c',
          stats: {},
          findings: [
            {
              ...report.targets[0].findings[0],
              message: '50% done\nnext',
              location: { kind: 'dockerfile', file: 'a,b:c', line: 1, column: 1, endLine: 1, endColumn: 2 },
            },
          ],
        },
      ],
    };
    expect((await loadReporter('github'))(odd, { color: false, cwd: '/' })).toMatch(
      /^::warning file=a%2Cb%3Ac,line=1,.*::50%25 done%0Anext$/,
    );
  });

  it('checkstyle and junit: every finding, escaped, a clean file as a passing case', async () => {
    const checkstyle = (await loadReporter('checkstyle'))(report, { color: false, cwd: '/' });
    expect(checkstyle.match(/<error /g)).toHaveLength(total());
    expect(checkstyle).toContain('<file name="clean.Dockerfile">');
    expect(checkstyle).not.toMatch(/message="[^"]*[<>][^"]*"/);
    const junit = (await loadReporter('junit'))(report, { color: false, cwd: '/' });
    expect(junit.match(/<failure /g)).toHaveLength(total());
    expect(junit).toContain(`<testsuites name="ballast" tests="${total() + 1}" failures="${total()}" errors="0">`);
    expect(junit).toContain('<testcase name="clean.Dockerfile" classname="ballast"/>');
  });

  it('junit: only findings at or above --fail-on fail; the others pass with their message in system-out', async () => {
    // Given a Dockerfile with an error, a warning and info findings, linted with --fail-on warning
    const dir = mkdtempSync(join(tmpdir(), 'ballast-junit-'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:latest\nADD app.py /app/\nRUN echo a\nRUN echo b\n');
    const result = await lint({ files: ['Dockerfile'], cwd: dir, version: '0.1.0', failOn: 'warning' });
    const severities = new Set(result.report.targets[0].findings.map((f) => f.severity));
    expect(severities).toEqual(new Set(['error', 'warning', 'info']));
    // When it is rendered as JUnit
    const junit = parseJunit((await loadReporter('junit'))(result.report, { color: false, cwd: '/' }));
    // Then the errors and warnings fail, as the exit code 1 says, and the info finding is a passing case
    expect(result.exitCode).toBe(1);
    const findings = result.report.targets[0].findings;
    expect(junit.failures).toBe(findings.filter((f) => f.severity !== 'info').length);
    const info = findings.find((f) => f.severity === 'info')!;
    const infoCase = junit.cases.find((c) => c.name.startsWith(`${info.code} `))!;
    expect(infoCase.failure).toBeUndefined();
    expect(infoCase.skipped).toBeUndefined();
    expect(infoCase.systemOut).toBe(
      `Dockerfile:${(info.location as { line: number }).line} ${info.code} ${info.message}`,
    );
    // And with --fail-on none nothing fails, every finding still listed
    const none = await lint({ files: ['Dockerfile'], cwd: dir, version: '0.1.0', failOn: 'none' });
    const passing = parseJunit((await loadReporter('junit'))(none.report, { color: false, cwd: '/' }));
    expect(none.exitCode).toBe(0);
    expect(passing).toMatchObject({ failures: 0, tests: findings.length });
  });

  it("junit: each Dockerfile's findings fail by its own config's failOn (lintcfg #1)", async () => {
    // Given two directories with the same Dockerfile, one whose config never fails
    const dir = mkdtempSync(join(tmpdir(), 'ballast-junit-'));
    for (const svc of ['a', 'b']) {
      mkdirSync(join(dir, svc));
      writeFileSync(join(dir, svc, 'Dockerfile'), 'FROM debian\n');
    }
    writeFileSync(join(dir, 'b', '.ballast.yaml'), 'failOn: none\n');
    // When both are linted and rendered as JUnit
    const result = await lint({ files: ['a', 'b'], cwd: dir, version: '0.1.0', shellcheck: false });
    const junit = parseJunit((await loadReporter('junit'))(result.report, { color: false, cwd: '/' }));
    // Then a/'s findings are failures and b/'s pass, as the exit code 1 says
    expect(result.exitCode).toBe(1);
    const failing = (suite: string) => junit.cases.filter((c) => c.suite === suite && c.failure).length;
    expect(failing('a/Dockerfile')).toBe(result.report.targets[0].findings.length);
    expect(failing('b/Dockerfile')).toBe(0);
    expect(junit.failures).toBe(failing('a/Dockerfile'));
  });

  it('codeclimate and json: one issue per finding with a unique fingerprint; json embeds rule metadata', async () => {
    const issues = JSON.parse((await loadReporter('codeclimate'))(report, { color: false, cwd: '/' }));
    expect(issues).toHaveLength(total());
    expect(new Set(issues.map((i: { fingerprint: string }) => i.fingerprint)).size).toBe(total());
    expect(issues[0]).toMatchObject({
      type: 'issue',
      location: { path: 'Dockerfile', lines: { begin: expect.any(Number) } },
    });
    const json = JSON.parse((await loadReporter('json'))(report, { color: false, cwd: '/' }));
    expect(json.rules.DF017).toMatchObject({
      name: 'add-instead-of-copy',
      sources: [{ tool: 'hadolint', id: 'DL3020', relation: 'same' }, expect.anything()],
    });
    expect(json.counts.fixable).toBeGreaterThanOrEqual(1);
    // Each target's line count is the file's (4 and 3 lines, each ending in a newline), as editors count them
    expect(json.targets.map((t: { stats: { lines: number } }) => t.stats.lines)).toEqual([4, 3]);
  });

  it('codeclimate: the same rule and message twice on one line (ShellCheck on `echo $a $b`) are two fingerprints', async () => {
    // Given two findings that differ only in their column, as ShellCheck's SC2086 gives for each unquoted variable
    const first = report.targets[0].findings[0];
    const at = (column: number) => ({
      ...first,
      location: { kind: 'dockerfile' as const, file: 'Dockerfile', line: 4, column, endLine: 4, endColumn: column + 2 },
    });
    const twice: Report = { ...report, targets: [{ target: 'Dockerfile', stats: {}, findings: [at(10), at(13)] }] };
    const issues = JSON.parse((await loadReporter('codeclimate'))(twice, { color: false, cwd: '/' }));
    // Then GitLab, which keys issues by fingerprint, sees both, and the first keeps the fingerprint it had alone
    expect(new Set(issues.map((i: { fingerprint: string }) => i.fingerprint)).size).toBe(2);
    const alone: Report = { ...twice, targets: [{ ...twice.targets[0], findings: [at(10)] }] };
    const single = JSON.parse((await loadReporter('codeclimate'))(alone, { color: false, cwd: '/' }));
    expect(issues[0].fingerprint).toBe(single[0].fingerprint);
  });

  it('sonarqube: one external issue per finding, its range 0-based and inside its line', async () => {
    // Given a Dockerfile with a multi-line RUN, linted where SonarQube's scanner runs
    const dir = mkdtempSync(join(tmpdir(), 'ballast-sonar-'));
    const text =
      'FROM debian:latest\nRUN apt-get update \\\n    && apt-get install -y curl\nADD app.py /app/\nWORKDIR app\n';
    writeFileSync(join(dir, 'Dockerfile'), text);
    const linted = (await lint({ files: [join(dir, 'Dockerfile')], cwd: dir, version: '0.1.0', shellcheck: false }))
      .report;
    const findings = linted.targets[0].findings;
    const { issues } = JSON.parse((await loadReporter('sonarqube'))(linted, { color: false, cwd: dir })) as {
      issues: {
        engineId: string;
        ruleId: string;
        severity: string;
        type: string;
        primaryLocation: {
          message: string;
          filePath: string;
          textRange: { startLine: number; endLine?: number; startColumn?: number; endColumn?: number };
        };
      }[];
    };
    // Then each finding is an issue on the file as the project names it
    expect(issues.map((i) => i.ruleId)).toEqual(findings.map((f) => f.code));
    const lines = text.split('\n');
    for (const issue of issues) {
      expect(issue).toMatchObject({
        engineId: 'ballast',
        type: 'CODE_SMELL',
        primaryLocation: { filePath: 'Dockerfile' },
      });
      expect(['BLOCKER', 'CRITICAL', 'MAJOR', 'MINOR', 'INFO']).toContain(issue.severity);
      // And a column range is one SonarQube accepts: from 0, not empty, not past the end of its last line
      const range = issue.primaryLocation.textRange;
      if (range.startColumn === undefined) continue;
      expect(range.startColumn).toBeGreaterThanOrEqual(0);
      const end = range.endLine ?? range.startLine;
      expect(end > range.startLine || range.endColumn! > range.startColumn).toBe(true);
      expect(range.endColumn!).toBeLessThanOrEqual(lines[end - 1].length);
    }
    // The WORKDIR finding covers `WORKDIR app`, columns 0 to 11 of line 5
    const workdir = issues.find((i) => i.ruleId === 'DF101')!;
    expect(workdir.primaryLocation.textRange).toEqual({ startLine: 5, endLine: 5, startColumn: 0, endColumn: 11 });
    expect(workdir.severity).toBe('CRITICAL');
  });

  // Regression (hostile input review): ARG defaults doubling to 64 KB made DF259 quote a 64 KB image name, and every
  // other row (an SC2086) was padded to that message's width: 262 KB of output for two findings.
  it('stylish: a long value is cut in its message, and the other rows are not padded to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-reporters-'));
    const args = [
      'ARG A0=xxxxxxxxxx',
      ...Array.from({ length: 12 }, (_, i) => `ARG A${i + 1}=${`\${A${i}}`.repeat(4)}`),
    ];
    writeFileSync(join(dir, 'Dockerfile'), `${args.join('\n')}\nFROM alpine:\${A12}\nMAINTAINER me\n`);
    const result = await lint({ files: ['Dockerfile'], cwd: dir, shellcheck: false });
    const text = (await loadReporter('stylish'))(result.report, { color: false, cwd: dir });
    const lines = text.split('\n');
    expect(lines.find((l) => l.includes('DF259'))!.length).toBeLessThan(5000);
    expect(lines.find((l) => l.includes('MAINTAINER'))!.length).toBeLessThan(300);
  });

  it('stylish: grouped by file, line:col, severity, message, code; a summary', async () => {
    const text = (await loadReporter('stylish'))(report, { color: false, cwd: '/' });
    expect(text.split('\n')[0]).toBe('Dockerfile');
    expect(text).toMatch(
      /^ {2}3:1 +error +ADD copies `app.py`, a local file or folder; .* +DF017 add-instead-of-copy$/m,
    );
    expect(text).not.toContain('clean.Dockerfile');
    // Regression (fix sweep s27): the unsafe fixes (DF001, DF002 here) went unmentioned, so after `--fix` a user was
    // not told that ballast could fix what was left.
    expect(text).toMatch(
      /✖ \d+ problems \(1 error, \d+ warnings?, \d+ info\)\n {2}1 problem fixable with --fix \(2 more with --fix --unsafe-fixes\)$/,
    );
    // JSON users get the same count the summary line shows.
    const json = JSON.parse((await loadReporter('json'))(report, { color: false, cwd: '/' }));
    expect(json.counts).toMatchObject({ fixable: 1, unsafeFixable: 2 });
    const unsafeOnly: Report = {
      ...report,
      targets: report.targets.map((t) => ({ ...t, findings: t.findings.filter((f) => f.code !== 'DF017') })),
      counts: { ...report.counts, fixable: 0 },
    };
    expect((await loadReporter('stylish'))(unsafeOnly, { color: false, cwd: '/' })).toMatch(
      /\n {2}2 problems fixable with --fix --unsafe-fixes$/,
    );
    // Review s48: the gate's report (`ci --format stylish`) said "fixable with --fix", a flag ci does not have: it
    // names the command that fixes them.
    const gated: Report = { ...report, checks: [] };
    expect((await loadReporter('stylish'))(gated, { color: false, cwd: '/' }).split('\n').at(-1)).toBe(
      '  1 problem fixable with ballast lint --fix (2 more with ballast lint --fix --unsafe-fixes)',
    );
    expect((await loadReporter('stylish'))({ ...unsafeOnly, checks: [] }, { color: false, cwd: '/' })).toMatch(
      /\n {2}2 problems fixable with ballast lint --fix --unsafe-fixes$/,
    );
  });

  // A dry run said "N problems fixable with --fix --unsafe-fixes" under "would fix N problems", to a user who had given
  // --unsafe-fixes: the hint now names what applies the fixes the dry run showed. It named --unsafe-fixes only when an
  // unsafe fix was among them, so a dry run given --unsafe-fixes that applied safe fixes only was told "run with --fix
  // (2 more with --fix --unsafe-fixes)", the flag it had just run with; now it is told the flags that repeat it, and
  // which of the fixes need --unsafe-fixes when only some do.
  it.each([
    // [the fixes the dry run would apply (safe: DF017, unsafe: DF001), whether it ran with --unsafe-fixes, the hint]
    [['safe'], false, '  run with --fix to apply it (2 more with --fix --unsafe-fixes)'],
    [['safe'], true, '  run with --fix --unsafe-fixes to apply it'],
    [['safe', 'unsafe', 'unsafe'], true, '  run with --fix --unsafe-fixes to apply them (unsafe: DF001 ×2)'],
    [['unsafe', 'unsafe'], true, '  run with --fix --unsafe-fixes to apply them'],
    // A report saved before it said how the dry run ran: its fixes tell.
    [['safe', 'unsafe'], undefined, '  run with --fix --unsafe-fixes to apply them (unsafe: DF001)'],
    // Nothing it would apply (no --unsafe-fixes, only unsafe fixes): the hint as without a dry run
    [[], false, '  1 problem fixable with --fix (2 more with --fix --unsafe-fixes)'],
  ] as const)(
    'stylish after --fix-dry-run applying %j (--unsafe-fixes: %j) ends with %j',
    async (applied, unsafe, hint) => {
      const wouldFix = applied.map((applicability) => ({
        code: applicability === 'safe' ? 'DF017' : 'DF001',
        rule: 'rule',
        title: 'title',
        applicability,
        file: 'Dockerfile',
      }));
      const dry: Report = {
        ...report,
        targets: report.targets.map((t, i) => ({ ...t, wouldFix: i ? [] : wouldFix })),
        ...(unsafe ? { unsafeFixes: true as const } : {}),
      };
      const text = (await loadReporter('stylish'))(dry, { color: false, cwd: '/' });
      expect(text.split('\n').at(-1)).toBe(hint);
    },
  );

  // The fix passes repeat until no fix is left, and the fixes counted are those of every pass: a fix only a later pass
  // offers counts, a finding the 10-pass cap or a fix that changes nothing leaves does not. Fixable minus fixed is then
  // no count of the findings the others' fixes left nothing to fix ("(1 no longer applies after the others' fixes)"
  // when two did and one was found by a later pass): the line gives both counts as they are, and claims no reason.
  it.each([
    // [the fixes the dry run with --unsafe-fixes would apply (of 3 fixable: DF017 safe, DF001 unsafe), its line]
    [['safe'], 'would fix 1 problem (3 fixable before any fix): DF017'],
    [['safe', 'unsafe'], 'would fix 2 problems (3 fixable before any fix): DF017, DF001'],
    [['safe', 'unsafe', 'unsafe'], 'would fix 3 problems: DF017, DF001 ×2'],
  ] as const)('stylish after --fix-dry-run applying %j says %j', async (applied, line) => {
    const wouldFix = applied.map((applicability) => ({
      code: applicability === 'safe' ? 'DF017' : 'DF001',
      rule: 'rule',
      title: 'title',
      applicability,
      file: 'Dockerfile',
    }));
    const dry: Report = {
      ...report,
      targets: report.targets.map((t, i) => ({ ...t, wouldFix: i ? [] : wouldFix })),
      unsafeFixes: true,
    };
    const text = (await loadReporter('stylish'))(dry, { color: false, cwd: '/' });
    expect(text.split('\n')).toContain(line);
  });
});
