// `ballast lint` and `ballast rules` as a user runs them (the compiled CLI: `npm run build` first).
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { expectRefused, runCli } from '../helpers/cli.js';
import { PACKAGE_SUBCOMMANDS } from '../../src/lint/helpers.js';
import { checkXml, parseJunit } from '../helpers/junit.js';
import { sarifValidator } from '../helpers/sarif.js';

const temp = () => mkdtempSync(join(tmpdir(), 'ballast-lint-cli-'));

const BAD = [
  '# syntax=docker/dockerfile:1',
  'FROM alpine:3.20',
  '# keep this comment',
  'RUN apk add curl=8.9.1-r1 \\',
  '    jq=1.7.1-r0',
  'ADD config.yaml /etc/app/config.yaml',
  'RUN pip install requests==2.32.3 && echo done',
  '',
].join('\n');

describe('ballast lint', () => {
  it('exits 0 on a clean file and 1 with findings, printing file:line and the rule', async () => {
    const dir = temp();
    writeFileSync(
      join(dir, 'Dockerfile'),
      'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r1\nUSER 1000\nCMD ["curl", "--version"]\n',
    );
    const clean = await runCli(['lint', 'Dockerfile'], { cwd: dir });
    expect({ code: clean.code, stderr: clean.stderr }).toEqual({ code: 0, stderr: '' });
    writeFileSync(join(dir, 'Dockerfile'), BAD);
    const dirty = await runCli(['lint'], { cwd: dir });
    expect(dirty.code).toBe(1);
    expect(dirty.stdout).toMatch(/^Dockerfile$/m);
    expect(dirty.stdout).toMatch(/4:1\s+info\s+`apk add` without `--no-cache`.*DF005 apk-add-cache/);
    expect(dirty.stdout).toMatch(/✖ \d+ problems \(1 error, /);
    // --fail-on error: the one error (ADD) still fails; --fail-on none never does
    expect((await runCli(['lint', '--fail-on', 'none'], { cwd: dir })).code).toBe(0);
  });

  it('reads stdin with -, one annotation line per finding in github format', async () => {
    const result = await runCli(['lint', '-', '--format', 'github', '--stdin-filename', 'docker/Dockerfile'], {
      input: BAD,
    });
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines)
      expect(line).toMatch(
        /^::(error|warning|notice) file=docker\/Dockerfile,line=\d+,col=\d+,.*title=(DF\d{3} [a-z-]+|SC\d{4} shellcheck)::\S/,
      );
  });

  it('codeclimate: a path in the checkout is relative to it, however it was given; one outside is absolute', async () => {
    // Given a Dockerfile on stdin named by its absolute path in the directory ballast runs in (as an editor or a
    // pre-commit hook names it), and one named outside it
    const dir = temp();
    const paths = async (name: string) => {
      const result = await runCli(['lint', '-', '--format', 'codeclimate', '--stdin-filename', name], {
        input: BAD,
        cwd: dir,
      });
      expect(result.code).toBe(1);
      return [...new Set((JSON.parse(result.stdout) as { location: { path: string } }[]).map((i) => i.location.path))];
    };
    // Then GitLab gets the path it joins to the repository, as for a relative name
    expect(await paths(join(dir, 'docker', 'Dockerfile'))).toEqual(['docker/Dockerfile']);
    expect(await paths('docker/Dockerfile')).toEqual(['docker/Dockerfile']);
    // And a file outside the checkout keeps a path that names it
    expect(await paths(join(dir, '..', 'elsewhere', 'Dockerfile'))).toEqual([
      join(dir, '..', 'elsewhere', 'Dockerfile'),
    ]);
    expect(await paths('../elsewhere/Dockerfile')).toEqual([join(dir, '..', 'elsewhere', 'Dockerfile')]);
  });

  it('reads a .ballast.yaml that also sets image rules for ci, on the fast path and through oclif', async () => {
    // Given one .ballast.yaml for the repo: an image rule raised for `ballast ci` (by code and by name), a Dockerfile
    // rule turned off, and a code that is no rule at all
    const dir = temp();
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:12-slim\nMAINTAINER me\nUSER 1000\n');
    const config = (extra: string) =>
      writeFileSync(join(dir, '.ballast.yaml'), `rules:\n  IM001: error\n  git-directory-shipped: warning\n${extra}`);
    for (const env of [{}, { BALLAST_NO_FAST_PATH: '1' }]) {
      config('  DF110: off\n');
      // Then lint applies its own rules and leaves the image rules to the commands that run them
      const run = await runCli(['lint', 'Dockerfile', '--no-shellcheck', '--format', 'json'], { cwd: dir, env });
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      config('  DF110: off\n  IM999: off\n');
      // And a code no command knows is still an error
      const unknown = await runCli(['lint', 'Dockerfile', '--no-shellcheck'], { cwd: dir, env });
      expect({ code: unknown.code, stdout: unknown.stdout }).toEqual({ code: 2, stdout: '' });
      expect(unknown.stderr).toMatch(/^error: .*rules\.IM999 is not a known rule \(hint: /);
    }
  });

  it("takes hadolint's format names tty, gitlab_codeclimate and sonarqube, on the fast path and through oclif", async () => {
    // Given a CI job moved over from hadolint that keeps its `--format`
    const dir = temp();
    writeFileSync(join(dir, 'Dockerfile'), BAD);
    for (const env of [{}, { BALLAST_NO_FAST_PATH: '1' }]) {
      const run = (format: string) =>
        runCli(['lint', 'Dockerfile', '--no-shellcheck', '--format', format], { cwd: dir, env });
      // Then tty is hadolint's line format, `FILE:LINE CODE SEVERITY: MESSAGE`, which reviewdog's `%f:%l %m` reads (it
      // was the grouped stylish report, which nothing reading hadolint's output can parse), one line a finding
      const [tty, gnu] = [await run('tty'), await run('gnu')];
      expect({ code: tty.code, stderr: tty.stderr }).toEqual({ code: 1, stderr: '' });
      const lines = tty.stdout.trimEnd().split('\n');
      expect(lines.length).toBe(gnu.stdout.trimEnd().split('\n').length);
      for (const line of lines) expect(line).toMatch(/^Dockerfile:\d+ (DF|SC)\d+ (error|warning|info|style): \S/);
      const [gitlab, codeclimate] = [await run('gitlab_codeclimate'), await run('codeclimate')];
      expect({ code: gitlab.code, stderr: gitlab.stderr }).toEqual({ code: 1, stderr: '' });
      expect(gitlab.stdout).toBe(codeclimate.stdout);
      expect((JSON.parse(gitlab.stdout) as { location: { path: string } }[])[0].location.path).toBe('Dockerfile');
      // And sonarqube, hadolint's name too, is SonarQube's external issues document
      const sonar = await run('sonarqube');
      expect(sonar.code).toBe(1);
      expect((JSON.parse(sonar.stdout) as { issues: unknown[] }).issues).toHaveLength(
        (JSON.parse(codeclimate.stdout) as unknown[]).length,
      );
    }
  });

  it('--fix-dry-run prints a diff and changes nothing; --fix applies safe fixes once, keeping comments', async () => {
    const dir = temp();
    const file = join(dir, 'Dockerfile');
    writeFileSync(file, BAD);
    const dry = await runCli(['lint', '--fix-dry-run', 'Dockerfile'], { cwd: dir });
    expect(dry.stdout).toContain('-RUN apk add curl=8.9.1-r1 \\');
    expect(dry.stdout).toContain('+RUN apk add --no-cache curl=8.9.1-r1 \\');
    expect(readFileSync(file, 'utf8')).toBe(BAD);
    const fixed = await runCli(['lint', '--fix', 'Dockerfile'], { cwd: dir });
    const after = readFileSync(file, 'utf8');
    expect(after).toBe(
      BAD.replace('apk add curl', 'apk add --no-cache curl')
        .replace('ADD config.yaml', 'COPY config.yaml')
        .replace('pip install requests', 'pip install --no-cache-dir requests'),
    );
    // What was fixed is named once, in the summary; it is no longer a finding.
    expect(fixed.stdout).not.toContain('DF005 apk-add-cache');
    expect(fixed.stdout).toMatch(/^✔ fixed 3 problems: .*DF005/m);
    await runCli(['lint', '--fix', 'Dockerfile'], { cwd: dir });
    expect(readFileSync(file, 'utf8')).toBe(after);
  });

  // Regression (fix sweep s27): with a document format on stdout the diff was printed in front of it (`-f sarif`,
  // `-f json`, a .hadolint.yaml's `format: json`), so the report no longer parsed, and `--json` dropped the diff.
  it('--fix-dry-run with a document format on stdout prints the diff on stderr, so the report still parses', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'Dockerfile'), BAD);
    for (const args of [['-f', 'sarif'], ['-f', 'json'], ['--json'], ['-f', 'checkstyle']]) {
      const dry = await runCli(['lint', '--fix-dry-run', ...args, 'Dockerfile'], { cwd: dir });
      expect({ args, code: dry.code, diffOnStdout: dry.stdout.includes('+++ b/Dockerfile') }).toEqual({
        args,
        code: 1,
        diffOnStdout: false,
      });
      if (args[1] !== 'checkstyle') expect(() => JSON.parse(dry.stdout) as unknown).not.toThrow();
      expect(dry.stderr).toContain('+RUN apk add --no-cache curl=8.9.1-r1 \\');
    }
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(BAD);
    // With -o the report is in the file and stdout has the diff; a text format keeps the diff on stdout too.
    const out = await runCli(['lint', '--fix-dry-run', '-f', 'sarif', '-o', 'r.sarif', 'Dockerfile'], { cwd: dir });
    expect(out.stdout).toContain('+RUN apk add --no-cache curl=8.9.1-r1 \\');
    expect(() => JSON.parse(readFileSync(join(dir, 'r.sarif'), 'utf8')) as unknown).not.toThrow();
    const gnu = await runCli(['lint', '--fix-dry-run', '-f', 'gnu', 'Dockerfile'], { cwd: dir });
    expect(gnu.stdout).toContain('+RUN apk add --no-cache curl=8.9.1-r1 \\');
  });

  it('fails with one line and exit 2 on a missing file, a binary file and a bad config', async () => {
    const dir = temp();
    const missing = await runCli(['lint', 'nope/Dockerfile'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^error: cannot read nope\/Dockerfile: no such file or directory \(hint: /);
    writeFileSync(join(dir, 'image.tar'), Buffer.from([0x75, 0x73, 0x00, 0x00, 0x01]));
    const binary = await runCli(['lint', 'image.tar'], { cwd: dir });
    expect(binary.code).toBe(2);
    expect(binary.stderr).toMatch(/^error: image.tar is not a text file/);
    writeFileSync(join(dir, 'Dockerfile'), 'FROM alpine:3.20\n');
    writeFileSync(join(dir, '.ballast.yaml'), 'rules:\n  DF001: loud\n');
    const config = await runCli(['lint'], { cwd: dir });
    expect(config.code).toBe(2);
    expect(config.stderr).toMatch(/rules\.DF001 must be one of off, style, info, warning, error/);
    expect(config.stderr).not.toMatch(/\n\s+at /);
  });

  // "Not text" was a NUL byte in the first KB: random bytes, a PNG's header or text with a binary payload after the
  // first KB were linted as Dockerfiles and gave a screen of DF100 noise. A Latin-1 Dockerfile (é as one byte) is text.
  it.each([
    ['fast path', {}],
    ['oclif', { BALLAST_NO_FAST_PATH: '1' }],
  ])('binary files without a NUL in the first KB are not text; a Latin-1 Dockerfile is (%s)', async (_path, env) => {
    const dir = temp();
    // Bytes as a compressed or encrypted file has them (a fixed sequence, so the test is the same every run), no NUL.
    let seed = 12345;
    const noise = Buffer.alloc(600, 0).map(() => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (seed >> 16) % 255 || 1;
    });
    writeFileSync(join(dir, 'random.Dockerfile'), noise);
    writeFileSync(join(dir, 'logo.png'), Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), noise]));
    const text = 'FROM debian:12-slim\n' + '# padding so the payload starts after the first KB\n'.repeat(30);
    const payload = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]);
    writeFileSync(join(dir, 'selfextract.Dockerfile'), Buffer.concat([Buffer.from(text), payload]));
    writeFileSync(
      join(dir, 'latin1.Dockerfile'),
      Buffer.from("FROM debian:12-slim\n# Créé par l'équipe, déployé à Genève\nUSER 1000\n", 'latin1'),
    );
    const files = ['random.Dockerfile', 'logo.png', 'selfextract.Dockerfile', 'latin1.Dockerfile'];
    const run = await runCli(['lint', '--no-shellcheck', ...files, '-f', 'json'], { cwd: dir, env });
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual(
      files
        .slice(0, 3)
        .map((f) => expect.stringMatching(new RegExp(`^error: ${f.replace('.', '\\.')} is not a text file \\(hint: `))),
    );
    const report = JSON.parse(run.stdout);
    expect(report.targets).toEqual([expect.objectContaining({ target: 'latin1.Dockerfile', findings: [] })]);
    // The same bytes piped to - are not text either (they were linted whatever they held).
    const piped = await runCli(['lint', '--no-shellcheck', '-'], { cwd: dir, env, input: noise });
    expect(piped).toEqual({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/^error: - \(stdin\) is not a text file \(hint: /),
    });
    const latin1 = readFileSync(join(dir, 'latin1.Dockerfile'));
    expect(await runCli(['lint', '--no-shellcheck', '-'], { cwd: dir, env, input: latin1 })).toMatchObject({ code: 0 });
  });

  // Windows PowerShell's `>` and Notepad's "Unicode" save UTF-16, which docker build cannot read either (it fails on
  // the first line): such a file was "not a text file" (its NUL bytes), sending the user looking for a binary.
  it.each([
    ['fast path', {}],
    ['oclif', { BALLAST_NO_FAST_PATH: '1' }],
  ])('a UTF-16 Dockerfile is one error line saying so, with the hint to save it as UTF-8 (%s)', async (_path, env) => {
    const dir = temp();
    const text = 'FROM debian:12-slim\r\n# équipe\r\nUSER 1000\r\n';
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    const files: [string, Buffer, string][] = [
      ['le.Dockerfile', Buffer.concat([Buffer.from([0xff, 0xfe]), le]), 'little-endian, byte order mark FF FE'],
      ['be.Dockerfile', Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'big-endian, byte order mark FE FF'],
      // Without the mark (iconv's and .NET's UTF-16LE/BE): a NUL every other byte was "not a text file".
      ['le-no-bom.Dockerfile', le, 'little-endian, no byte order mark'],
      ['be-no-bom.Dockerfile', be, 'big-endian, no byte order mark'],
    ];
    for (const [name, bytes, kind] of files) {
      writeFileSync(join(dir, name), bytes);
      const expected = (shown: string) => ({
        code: 2,
        stdout: '',
        stderr: `error: ${shown} is UTF-16 text (${kind}), which docker build cannot read (hint: save it as UTF-8: an editor's Save As with the UTF-8 encoding, or PowerShell's \`-Encoding utf8\`)\n`,
      });
      expect(await runCli(['lint', '--no-shellcheck', name], { cwd: dir, env })).toEqual(expected(name));
      expect(await runCli(['lint', '--no-shellcheck', '-'], { cwd: dir, env, input: bytes })).toEqual(
        expected('- (stdin)'),
      );
    }
    // Binary bytes that start like UTF-16 are still not text.
    writeFileSync(join(dir, 'x.bin'), Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x00, 0x00]));
    expect((await runCli(['lint', 'x.bin'], { cwd: dir, env })).stderr).toMatch(/^error: x\.bin is not a text file/);
    // Nor are binary bytes with a NUL every other byte but few ASCII characters between them.
    writeFileSync(join(dir, 'y.bin'), Buffer.from([0x80, 0, 0x81, 0, 0x82, 0, 0x41, 0, 0x83, 0, 0x84, 0]));
    expect((await runCli(['lint', 'y.bin'], { cwd: dir, env })).stderr).toMatch(/^error: y\.bin is not a text file/);
  });

  // Regression: empty stdin was linted as an empty Dockerfile (a DF100 finding, exit 1), so the container image's
  // default `lint -` run without -i (stdin is /dev/null) seemed to lint. It is one error line saying how to pipe one in.
  it.each([
    ['fast path', {}],
    ['oclif', { BALLAST_NO_FAST_PATH: '1' }],
  ])('lint - on empty stdin is one error line, exit 2, with how to pipe a Dockerfile in (%s)', async (_path, env) => {
    const dir = temp();
    for (const args of [['-'], ['--fix', '-'], ['--stdin-filename', 'app/Dockerfile', '-']]) {
      const result = await runCli(['lint', '--no-shellcheck', ...args], { cwd: dir, env, input: '' });
      expectRefused(result, /^error: (-|app\/Dockerfile) \(stdin\) is empty: there is no Dockerfile to lint \(hint: /);
      expect(result.stderr).toContain('`docker run --rm -i IMAGE < Dockerfile`');
      expect(result.stderr).toContain('`--help`');
    }
  });

  // Regression: blanks alone on stdin (`echo "$DOCKERFILE" | ballast lint -` with the variable unset) were a DF100
  // finding, exit 1, where nothing at all was exit 2. A comment is something written: still linted (DF100).
  it.each([
    ['fast path', {}],
    ['oclif', { BALLAST_NO_FAST_PATH: '1' }],
  ])('lint - on blank stdin is refused as empty stdin is; a comment alone is linted (%s)', async (_path, env) => {
    const dir = temp();
    for (const input of ['\n', '  \n\t\r\n\n']) {
      const result = await runCli(['lint', '--no-shellcheck', '-'], { cwd: dir, env, input });
      expectRefused(result, /^error: - \(stdin\) is blank: there is no Dockerfile to lint \(hint: pipe one in: /);
    }
    const comment = await runCli(['lint', '--no-shellcheck', '-'], { cwd: dir, env, input: '# to do\n' });
    expect(comment.code).toBe(1);
    expect(comment.stdout).toContain('DF100');
  });

  // A UTF-8 byte order mark (Notepad's "UTF-8 with BOM") is not part of the first line: docker build skips it. On stdin
  // it was, and every finding on line 1 was a column to the right of where a file's is.
  it.each([
    ['fast path', {}],
    ['oclif', { BALLAST_NO_FAST_PATH: '1' }],
  ])(
    'a UTF-8 Dockerfile with a byte order mark lints as without, file or stdin, and --fix - keeps it (%s)',
    async (_path, env) => {
      const dir = temp();
      const text = 'FROM alpine\nRUN apk add curl\n';
      const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
      writeFileSync(join(dir, 'Dockerfile'), text);
      writeFileSync(join(dir, 'bom.Dockerfile'), bom);
      const findings = async (args: string[], input?: Buffer) => {
        const run = await runCli(['lint', '--no-shellcheck', '--json', ...args], { cwd: dir, env, input });
        expect(run).toMatchObject({ code: 1, stderr: '' });
        return (
          JSON.parse(run.stdout) as { targets: { findings: { code: string; location: object }[] }[] }
        ).targets[0].findings.map((f) => [f.code, f.location] as const);
      };
      const plain = await findings(['Dockerfile']);
      expect(plain).toContainEqual(['DF022', expect.objectContaining({ line: 1, column: 1 })]);
      expect(await findings(['bom.Dockerfile'])).toEqual(
        plain.map(([code, at]) => [code, { ...at, file: 'bom.Dockerfile' }]),
      );
      expect(await findings(['-', '--stdin-filename', 'Dockerfile'], bom)).toEqual(plain);
      const fixed = await runCli(['lint', '--no-shellcheck', '--fix', '-'], { cwd: dir, env, input: bom });
      expect(Buffer.from(fixed.stdout).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      expect(fixed.stdout.slice(1)).toBe('FROM alpine\nRUN apk add --no-cache curl\n');
    },
  );

  // pre-commit passes every staged file in one batch: one file ballast cannot read must not hide the others' findings.
  it.each([
    ['fast path', {}],
    ['oclif', { BALLAST_NO_FAST_PATH: '1' }],
  ])(
    'a batch with one unreadable file (%s): the others are reported, the bad one is one error line, exit 2',
    async (_path, env) => {
      const dir = temp();
      mkdirSync(join(dir, 'good'));
      writeFileSync(join(dir, 'good', 'Dockerfile'), BAD);
      writeFileSync(join(dir, 'bad.bin'), Buffer.from([0x75, 0x73, 0x00, 0x00, 0x01]));
      writeFileSync(join(dir, 'Containerfile'), 'FROM debian:latest\n');
      const files = ['good/Dockerfile', 'bad.bin', 'Containerfile', '--no-shellcheck'];
      const errorLine = /^error: bad\.bin is not a text file \(hint: [^\n]+\)\n$/;
      const stylish = await runCli(['lint', ...files], { cwd: dir, env });
      expect({ code: stylish.code, stderr: stylish.stderr }).toEqual({
        code: 2,
        stderr: expect.stringMatching(errorLine),
      });
      expect(stylish.stdout).toMatch(/^good\/Dockerfile$/m);
      expect(stylish.stdout).toMatch(/^Containerfile$/m);
      expect(stylish.stdout).toContain('DF005');
      // The totals count the file not read: they end the report, before the error line, and must not read as the
      // whole batch's verdict.
      expect(stylish.stdout).toMatch(/^✖ \d+ problems? \(.*\), 1 path not read$/m);
      writeFileSync(join(dir, 'Clean'), 'FROM debian:12-slim\nUSER 1000\n');
      const clean1 = await runCli(['lint', 'Clean', 'bad.bin', '--no-shellcheck'], { cwd: dir, env });
      expect(clean1.code).toBe(2);
      expect(clean1.stdout).not.toContain('✔');
      expect(clean1.stdout.trim()).toBe('✖ 1 path not read (no problems in the others)');
      const json = await runCli(['lint', ...files, '--format', 'json'], { cwd: dir, env });
      expect({ code: json.code, stderr: json.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(errorLine) });
      const report = JSON.parse(json.stdout);
      expect(report.targets.map((t: { target: string }) => t.target)).toEqual(['good/Dockerfile', 'Containerfile']);
      expect(report.targets[0].findings.map((f: { code: string }) => f.code)).toContain('DF005');
      expect(report.unreadable).toEqual([
        { path: 'bad.bin', code: expect.any(String), message: 'bad.bin is not a text file', hint: expect.any(String) },
      ]);
      const github = await runCli(['lint', ...files, '--format', 'github'], { cwd: dir, env });
      expect(github.code).toBe(2);
      expect(github.stdout).toMatch(/^::error title=ballast::bad\.bin is not a text file \(hint: .+\)$/m);
      const sarif = await runCli(['lint', ...files, '--format', 'sarif'], { cwd: dir, env });
      expect({ code: sarif.code, stderr: sarif.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(errorLine) });
      const document = JSON.parse(sarif.stdout);
      const validate = sarifValidator();
      expect([validate(document), validate.errors]).toEqual([true, null]);
      const uris = document.runs[0].results.map(
        (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          r.locations[0].physicalLocation.artifactLocation.uri,
      );
      expect(new Set(uris)).toEqual(new Set(['good/Dockerfile', 'Containerfile']));
      // The run did not finish: code scanning must not show it as a clean one.
      expect(document.runs[0].invocations).toEqual([
        {
          executionSuccessful: false,
          exitCode: 2,
          toolExecutionNotifications: [
            {
              level: 'error',
              message: { text: expect.stringMatching(/^bad\.bin is not a text file \(hint: /) },
              descriptor: { id: expect.any(String) },
            },
          ],
        },
      ]);
      // An error outranks a clean run too, and every unreadable file gets its own line (and its entry in the report).
      writeFileSync(join(dir, 'other.bin'), Buffer.from([0x00]));
      const clean = await runCli(['lint', 'bad.bin', 'other.bin', '--json'], { cwd: dir, env });
      expect(clean.code).toBe(2);
      expect(JSON.parse(clean.stdout).unreadable.map((u: { path: string }) => u.path)).toEqual([
        'bad.bin',
        'other.bin',
      ]);
      expect(clean.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^error: bad\.bin is not a text file/),
        expect.stringMatching(/^error: other\.bin is not a text file/),
      ]);
    },
  );

  // A folder holding no Dockerfile was dropped in silence: `lint Dockerfile dockre/` passed with dockre's files unchecked.
  // It is an error line (exit 2), as a file not found is; the files given beside it are still linted.
  it.each([
    ['fast path', {}],
    ['oclif', { BALLAST_NO_FAST_PATH: '1' }],
  ])('a folder with no Dockerfile in it is one error line, exit 2 (%s)', async (_path, env) => {
    const dir = temp();
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:12-slim\nUSER 1000\n');
    mkdirSync(join(dir, 'emptydir'));
    writeFileSync(join(dir, 'emptydir', 'README.md'), 'no Dockerfile here\n');
    const run = await runCli(['lint', '--no-shellcheck', 'Dockerfile', 'emptydir', '--format', 'json'], {
      cwd: dir,
      env,
    });
    expect({ code: run.code, stderr: run.stderr }).toEqual({
      code: 2,
      stderr: expect.stringMatching(/^error: no Dockerfiles found in emptydir \(hint: [^\n]+\)\n$/),
    });
    const report = JSON.parse(run.stdout);
    expect(report.targets.map((t: { target: string }) => t.target)).toEqual(['Dockerfile']);
    expect(report.unreadable).toEqual([
      { path: 'emptydir', code: 'no-input', message: 'no Dockerfiles found in emptydir', hint: expect.any(String) },
    ]);
    // The stylish totals count it as a path not read: it is not a file.
    const stylish = await runCli(['lint', '--no-shellcheck', 'Dockerfile', 'emptydir'], { cwd: dir, env });
    expect({ code: stylish.code, stdout: stylish.stdout.trim() }).toEqual({
      code: 2,
      stdout: '✖ 1 path not read (no problems in the others)',
    });
    // The folder holding the Dockerfile, with the empty one below it, is linted as before.
    const all = await runCli(['lint', '--no-shellcheck', '.'], { cwd: dir, env });
    expect(all).toEqual({ code: 0, stdout: expect.any(String), stderr: '' });
  });

  // The same file named twice (`Dockerfile .`, `./Dockerfile Dockerfile`, a symlink and its target) was linted and
  // reported twice: every finding counted double. Each real file is linted once, under the name it first had.
  it.each([
    ['fast path', {}],
    ['oclif', { BALLAST_NO_FAST_PATH: '1' }],
  ])('a file reached by several paths is linted once, where it first appears (%s)', async (_path, env) => {
    const dir = temp();
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:latest\n');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'Containerfile'), 'FROM debian:latest\n');
    symlinkSync('Dockerfile', join(dir, 'link.Dockerfile'));
    const targets = async (...files: string[]) => {
      const run = await runCli(['lint', '--no-shellcheck', ...files, '-f', 'json'], { cwd: dir, env });
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 1, stderr: '' });
      return (JSON.parse(run.stdout) as { targets: { target: string }[] }).targets.map((t) => t.target);
    };
    expect(await targets('Dockerfile', '.')).toEqual(['Dockerfile', 'sub/Containerfile']);
    expect(await targets('./Dockerfile', 'Dockerfile')).toEqual(['Dockerfile']);
    expect(await targets('sub', '.', join(dir, 'Dockerfile'))).toEqual(['sub/Containerfile', 'Dockerfile']);
    expect(await targets('link.Dockerfile', 'Dockerfile')).toEqual(['link.Dockerfile']);
    // A folder whose Dockerfiles were all named before it holds Dockerfiles: it is not "a folder with none".
    expect(await targets('sub/Containerfile', 'sub')).toEqual(['sub/Containerfile']);
  });

  // With -o the report goes to a file: the error lines of the files not read must still reach stderr (a report that
  // could not be written took them with it), and the report must list those files where its format can. JUnit and
  // checkstyle said nothing of them: a CI dashboard showed a clean run for a batch that exited 2.
  it.each([
    ['fast path', {}],
    ['oclif', { BALLAST_NO_FAST_PATH: '1' }],
  ])('-o FILE: the files not read are on stderr and in the JUnit and checkstyle reports (%s)', async (_path, env) => {
    const dir = temp();
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:12-slim\nUSER 1000\n');
    writeFileSync(join(dir, 'bad.bin'), Buffer.from([0x46, 0x00]));
    mkdirSync(join(dir, 'out'));
    const lines = [
      expect.stringMatching(/^error: bad\.bin is not a text file \(hint: .+\)$/),
      expect.stringMatching(/^error: cannot read missing: no such file or directory \(hint: .+\)$/),
    ];
    const lint = (...args: string[]) =>
      runCli(['lint', '--no-shellcheck', 'Dockerfile', 'bad.bin', 'missing', ...args], { cwd: dir, env });
    for (const format of ['junit', 'checkstyle', 'json']) {
      const run = await lint('-f', format, '-o', 'out/report');
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
      expect(run.stderr.trimEnd().split('\n').sort()).toEqual(lines);
    }
    // The report was written under a file, not a folder: its error, and the files not read all the same.
    writeFileSync(join(dir, 'nodir'), 'a file, not a folder\n');
    const lost = await lint('-f', 'junit', '-o', 'nodir/report.xml');
    expect(lost.code).toBe(2);
    expect(lost.stderr.trimEnd().split('\n').sort()).toEqual([
      ...lines,
      expect.stringMatching(/^error: cannot write nodir\/report\.xml: /),
    ]);
    await lint('-f', 'junit', '-o', 'out/report.xml');
    const junit = parseJunit(readFileSync(join(dir, 'out', 'report.xml'), 'utf8'));
    expect(junit.cases.filter((c) => c.error).map((c) => [c.suite, c.error!.type, c.error!.message])).toEqual(
      expect.arrayContaining([
        ['bad.bin', 'binary-input', 'bad.bin is not a text file'],
        ['missing', 'not-found', 'cannot read missing: no such file or directory'],
      ]),
    );
    expect(junit.cases.find((c) => c.suite === 'Dockerfile')).toMatchObject({ name: 'Dockerfile' });
    await lint('-f', 'checkstyle', '-o', 'out/checkstyle.xml');
    const xml = readFileSync(join(dir, 'out', 'checkstyle.xml'), 'utf8');
    checkXml(xml, 'checkstyle');
    type File = { name: string; error?: { severity: string; message: string } };
    const files = (
      new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as { checkstyle: { file: File[] } }
    ).checkstyle.file;
    expect(files.map((f) => [f.name, f.error?.severity, f.error?.message.split(' (hint: ')[0]])).toEqual(
      expect.arrayContaining([
        ['Dockerfile', undefined, undefined],
        ['bad.bin', 'error', 'bad.bin is not a text file'],
        ['missing', 'error', 'cannot read missing: no such file or directory'],
      ]),
    );
  });

  // When no input could be read there was no report at all: a CI dashboard reading r.json or the JUnit file showed
  // nothing, or the previous run's file. The formats that list the paths not read write their report all the same.
  it.each([
    ['fast path', {}],
    ['oclif', { BALLAST_NO_FAST_PATH: '1' }],
  ])(
    'every input unreadable: json, sarif, junit, checkstyle and github still write their report (%s)',
    async (_path, env) => {
      const dir = temp();
      writeFileSync(join(dir, 'bad.bin'), Buffer.from([0x46, 0x00]));
      const errorLine = /^error: bad\.bin is not a text file \(hint: [^\n]+\)\n$/;
      for (const format of ['json', 'sarif', 'junit', 'checkstyle']) {
        const out = join(dir, `report.${format}`);
        writeFileSync(out, 'the previous run');
        const run = await runCli(['lint', '--no-shellcheck', 'bad.bin', '-f', format, '-o', out], { cwd: dir, env });
        expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
          code: 2,
          stdout: '',
          stderr: expect.stringMatching(errorLine),
        });
        const written = readFileSync(out, 'utf8');
        expect(written).toContain('bad.bin is not a text file');
        if (format === 'json')
          expect(JSON.parse(written)).toMatchObject({ targets: [], unreadable: [{ path: 'bad.bin' }] });
        if (format === 'sarif') {
          const validate = sarifValidator();
          expect([validate(JSON.parse(written)), validate.errors]).toEqual([true, null]);
          expect(JSON.parse(written).runs[0].invocations[0].executionSuccessful).toBe(false);
        }
        if (format === 'junit')
          expect(parseJunit(written).cases.map((c) => [c.suite, c.error?.type])).toEqual([['bad.bin', 'binary-input']]);
        if (format === 'checkstyle') checkXml(written, 'checkstyle');
      }
      // On stdout as well; stylish, which has no others to speak of, is the error line alone as before.
      const json = await runCli(['lint', '--no-shellcheck', 'bad.bin', '-f', 'json'], { cwd: dir, env });
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout).unreadable).toHaveLength(1);
      const github = await runCli(['lint', '--no-shellcheck', 'bad.bin', '-f', 'github'], { cwd: dir, env });
      expect({ code: github.code, stdout: github.stdout }).toEqual({
        code: 2,
        stdout: expect.stringMatching(/^::error title=ballast::bad\.bin is not a text file \(hint: .+\)\n$/),
      });
      const stylish = await runCli(['lint', '--no-shellcheck', 'bad.bin'], { cwd: dir, env });
      expect(stylish).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(errorLine) });
    },
  );

  // The files that could not be read when looked for (missing, a folder with none) came out before those that could
  // not be read as Dockerfiles, whatever the order they were given in.
  it.each([
    ['fast path', {}],
    ['oclif', { BALLAST_NO_FAST_PATH: '1' }],
  ])('the error lines follow the order the files were given, or found in a folder (%s)', async (_path, env) => {
    const dir = temp();
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:12-slim\nUSER 1000\n');
    writeFileSync(join(dir, 'a.bin'), Buffer.from([0x46, 0x00]));
    mkdirSync(join(dir, 'sub'));
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'sub', 'a.Dockerfile'), Buffer.from([0x46, 0x00]));
    writeFileSync(join(dir, 'sub', 'b.Dockerfile'), 'FROM debian:12-slim\nUSER 1000\n');
    writeFileSync(join(dir, 'sub', 'c.Dockerfile'), Buffer.from([0x46, 0x00]));
    const files = ['a.bin', 'missing1', 'Dockerfile', 'sub', 'empty', 'missing2'];
    const run = await runCli(['lint', '--no-shellcheck', ...files, '-f', 'json'], { cwd: dir, env });
    expect(run.code).toBe(2);
    const named = ['a.bin', 'missing1', 'sub/a.Dockerfile', 'sub/c.Dockerfile', 'empty', 'missing2'];
    expect(run.stderr.trimEnd().split('\n')).toEqual(named.map((name) => expect.stringContaining(` ${name}`)));
    expect(JSON.parse(run.stdout).unreadable.map((u: { path: string }) => u.path)).toEqual(named);
  });

  // A file outside the working directory was named by a path relative to it that climbs out (`../../dev/zero` for
  // /dev/zero): it is named as given, or absolute when found in a folder; files below the cwd stay relative.
  it.each([
    ['fast path', {}],
    ['oclif', { BALLAST_NO_FAST_PATH: '1' }],
  ])('a file outside the working directory is named as given, not by a climbing path (%s)', async (_path, env) => {
    const dir = temp();
    for (const sub of ['work', 'work/here', 'other']) mkdirSync(join(dir, sub));
    for (const file of ['Dockerfile', 'work/here/Dockerfile', 'other/Dockerfile'])
      writeFileSync(join(dir, file), 'FROM debian:latest\n');
    const args = ['../Dockerfile', '/dev/zero', join(dir, 'other'), 'here', '-f', 'json'];
    const run = await runCli(['lint', '--no-shellcheck', ...args], { cwd: join(dir, 'work'), env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: \/dev\/zero is a character device, not a Dockerfile \(hint: [^\n]+\)\n$/);
    const report = JSON.parse(run.stdout);
    expect(report.targets.map((t: { target: string }) => t.target)).toEqual([
      '../Dockerfile',
      join(dir, 'other', 'Dockerfile'),
      'here/Dockerfile',
    ]);
    expect(report.unreadable.map((u: { path: string }) => u.path)).toEqual(['/dev/zero']);
    const stylish = await runCli(['lint', '--no-shellcheck', '/dev/zero', 'here'], { cwd: join(dir, 'work'), env });
    expect(stylish.stdout).not.toContain('../');
  });

  // The error line's text is made one line, so a newline in a name read as a space: `cannot read miss line` named a
  // file that may exist (`miss line`) instead of the one given.
  it.each([
    ['fast path', {}],
    ['oclif', { BALLAST_NO_FAST_PATH: '1' }],
  ])('a file not read is named with its newline shown as \\x0a, not a space (%s)', async (_path, env) => {
    const dir = temp();
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:12-slim\nUSER 1000\n');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'x\ny.Dockerfile'), Buffer.from([0x46, 0x00]));
    const run = await runCli(['lint', '--no-shellcheck', 'Dockerfile', 'miss\nline', 'sub'], { cwd: dir, env });
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n').sort()).toEqual([
      expect.stringMatching(/^error: cannot read miss\\x0aline: no such file or directory \(hint: .+\)$/),
      expect.stringMatching(/^error: sub\/x\\x0ay\.Dockerfile is not a text file \(hint: .+\)$/),
    ]);
  });

  it.each([
    ['fast path', {}],
    ['oclif', { BALLAST_NO_FAST_PATH: '1' }],
  ])(
    'refuses - given twice: the second read of stdin was empty, and --fix printed that as the file (%s)',
    async (_p, env) => {
      const dir = temp();
      for (const args of [
        ['-', '-'],
        ['--fix', '-', '-'],
      ]) {
        const run = await runCli(['lint', '--no-shellcheck', ...args], { cwd: dir, env, input: BAD });
        expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
        expect(run.stderr).toMatch(/^error: - \(stdin\) is given more than once \(hint: [^\n]+\)\n$/);
      }
    },
  );

  it('refuses a --context that is not a directory (it linted as if there were no .dockerignore)', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'Dockerfile'), 'FROM node:20.11.1-slim\nWORKDIR /app\nCOPY . .\nUSER 1000\n');
    for (const env of [{}, { BALLAST_NO_FAST_PATH: '1' }]) {
      const missing = await runCli(['lint', 'Dockerfile', '--context', 'nonexist'], { cwd: dir, env });
      expect(missing).toEqual({
        code: 2,
        stdout: '',
        stderr: expect.stringMatching(/^error: --context nonexist: no such directory \(hint: [^\n]+\)\n$/),
      });
      const file = await runCli(['lint', 'Dockerfile', '--context', 'Dockerfile'], { cwd: dir, env });
      expect(file.code).toBe(2);
      expect(file.stderr).toMatch(/^error: --context Dockerfile is not a directory \(hint: /);
    }
  });

  it('lints every Dockerfile under a directory in one process, and honours .hadolint.yaml', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian\n');
    writeFileSync(join(dir, 'api.Dockerfile'), 'FROM debian:latest\n');
    writeFileSync(join(dir, '.hadolint.yaml'), 'ignored: [DL3007]\n');
    const result = await runCli(['lint', '.', '--format', 'json'], { cwd: dir });
    const report = JSON.parse(result.stdout);
    expect(report.targets.map((t: { target: string }) => t.target)).toEqual(['Dockerfile', 'api.Dockerfile']);
    expect(report.targets[0].findings.map((f: { code: string }) => f.code)).toContain('DF022');
    expect(report.targets[1].findings.map((f: { code: string }) => f.code)).not.toContain('DF023');
  });

  it('honours the # check= directive: reports keep ballast codes, error=true fails the gate', async () => {
    const dir = temp();
    const text =
      '# check=skip=MaintainerDeprecated;error=true\nFROM debian:12-slim\nMAINTAINER me\nUSER 1000\nCMD echo hi\n';
    writeFileSync(join(dir, 'Dockerfile'), text);
    const args = ['lint', 'Dockerfile', '--no-shellcheck', '--format', 'json', '--fail-on', 'error'];
    const result = await runCli(args, { cwd: dir });
    const findings = JSON.parse(result.stdout).targets[0].findings;
    expect(findings.map((f: { code: string; rule: string; severity: string }) => [f.code, f.rule, f.severity])).toEqual(
      [['DF109', 'shell-form-cmd', 'error']],
    );
    expect(result.code).toBe(1);
    // Skipping is a suppression: --disable-ignore-pragma turns it off like the other pragmas.
    const strict = await runCli([...args, '--disable-ignore-pragma'], { cwd: dir });
    expect(JSON.parse(strict.stdout).targets[0].findings.map((f: { code: string }) => f.code)).toEqual([
      'DF110',
      'DF109',
    ]);
  });

  // The builder refuses a file with `# check=` on two lines: neither line's skip= may hide a finding.
  it.each([
    ['fast path', {}],
    ['oclif', { BALLAST_NO_FAST_PATH: '1' }],
  ])('# check= on two lines skips nothing and is DF100 on the second (%s)', async (_path, env) => {
    const dir = temp();
    const text = '# check=skip=MaintainerDeprecated\n# check=skip=all\nFROM debian:12-slim\nMAINTAINER me\nUSER 1000\n';
    writeFileSync(join(dir, 'Dockerfile'), text);
    const result = await runCli(['lint', 'Dockerfile', '--no-shellcheck', '-f', 'gnu'], { cwd: dir, env });
    expect(result.stdout.split('\n').map((line) => line.replace(/: .*\[/, ' ['))).toEqual([
      'Dockerfile:2:1 [DF100]',
      'Dockerfile:4:1 [DF110]',
      '',
    ]);
    expect(result.code).toBe(1);
  });
});

describe('ballast rules', () => {
  it("lists every rule and prints one rule's doc by code or hadolint id", async () => {
    const list = await runCli(['rules']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/DF001\s+apt-lists-not-removed\s+size\s+info\s+sometimes\s+DL3009/);
    // Rules off by default (hadolint ships DL3057 at `ignore`) say so in the list, as their page does.
    expect(list.stdout).toMatch(/DF250\s+missing-healthcheck\s+suggestion\s+off\s+DL3057/);
    const doc = await runCli(['rules', 'DL3009']);
    expect(doc.stdout).toContain('DF001 apt-lists-not-removed');
    expect(doc.stdout).toContain('Why is this bad?');
    const json = JSON.parse((await runCli(['rules', '--json'])).stdout);
    expect(json.rules.find((r: { code: string }) => r.code === 'DF005')).toMatchObject({
      name: 'apk-add-cache',
      fix: 'sometimes',
      type: 'size',
    });
    const unknown = await runCli(['rules', 'DF999']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: no rule DF999/);
  });

  it('rules CODE --json gives that rule alone, with its page', async () => {
    const json = JSON.parse((await runCli(['rules', 'IM001', '--json'])).stdout);
    expect(Object.keys(json)).toEqual(['rule']);
    expect(json.rule).toMatchObject({ code: 'IM001', name: 'apt-lists-in-image' });
    expect(json.rule.doc).toContain('IM001');
  });

  // `ignore.rules`, `--ignore` and pragmas take ShellCheck's codes, and lint reports them, yet `rules SC2086` said there
  // was no rule: it names the ShellCheck check, with ShellCheck's page for it. The ones lint leaves out are still no rule.
  it.each([
    ['SC2086', 0, /^SC2086 \(ShellCheck\)\n[\s\S]*https:\/\/www\.shellcheck\.net\/wiki\/SC2086/, ''],
    ['sc2006', 0, /^SC2006 \(ShellCheck\)\n[\s\S]*https:\/\/www\.shellcheck\.net\/wiki\/SC2006/, ''],
    ['SC1091', 2, /^$/, /^error: no rule SC1091 \(hint: ShellCheck's SC1091 is left out of `ballast lint`/],
    ['SC20866', 2, /^$/, /^error: no rule SC20866 \(hint: run `ballast rules`/],
  ])('rules %s: a ShellCheck code', async (code, exit, stdout, stderr) => {
    const result = await runCli(['rules', code]);
    expect(result.code).toBe(exit);
    expect(result.stdout).toMatch(stdout);
    expect(result.stderr).toMatch(stderr);
  });

  // lint leaves out SC2086 on a package list given to a package manager, which hadolint reports: the page says so.
  it.each([
    ['SC2086', /\nDiffers from hadolint: [\s\S]*\$savedAptMark/],
    ['SC2006', /^(?![\s\S]*Differs from hadolint)/],
  ])('rules %s says where ballast differs from hadolint on it', async (code, stdout) => {
    expect((await runCli(['rules', code])).stdout).toMatch(stdout);
  });

  it('rules SC2086 --json is {"rule": {...}} too, with ShellCheck\'s page', async () => {
    const json = JSON.parse((await runCli(['rules', 'SC2086', '--json'])).stdout);
    expect(Object.keys(json)).toEqual(['rule']);
    expect(json.rule).toMatchObject({
      code: 'SC2086',
      name: 'SC2086',
      tool: 'shellcheck',
      target: 'dockerfile',
      url: 'https://www.shellcheck.net/wiki/SC2086',
      differs: expect.stringContaining('package list'),
    });
  });

  // The page listed fewer subcommands than lint exempts, and not the wrappers: its list is the table lint reads.
  it('rules SC2086 names every package-list subcommand lint exempts, and the wrappers it looks behind', async () => {
    const { differs } = JSON.parse((await runCli(['rules', 'SC2086', '--json'])).stdout).rule;
    const words = new Set(differs.split(/[^a-z-]+/));
    const missing = Object.values(PACKAGE_SUBCOMMANDS)
      .flatMap(({ installs, others }) => [...installs, ...others])
      .filter((sub) => !words.has(sub));
    expect(missing).toEqual([]);
    expect(differs).toContain('yarn workspace');
    expect(differs).toContain('behind sudo, env, nice, time, command or xargs');
  });
});

describe('the style severity (below info, as in hadolint and ShellCheck)', () => {
  const label = 'FROM debian:12-slim\nLABEL Version="1.0"\nUSER 1000\nCMD ["x"]\n';

  it.each([[{}], [{ BALLAST_NO_FAST_PATH: '1' }]])(
    'a style-only finding passes the default --fail-on info and fails --fail-on style (env %j)',
    async (env) => {
      const dir = temp();
      writeFileSync(join(dir, 'Dockerfile'), label);
      writeFileSync(join(dir, '.dockerignore'), '.git\n');
      const passing = await runCli(['lint', 'Dockerfile', '--no-shellcheck'], { cwd: dir, env });
      expect(passing.code).toBe(0);
      expect(passing.stdout).toMatch(/2:1\s+style\s+.*DF225 invalid-label-key/);
      expect(passing.stdout).toContain('(0 errors, 0 warnings, 0 info, 1 style)');
      const failing = await runCli(['lint', 'Dockerfile', '--no-shellcheck', '--fail-on', 'style'], { cwd: dir, env });
      expect(failing.code).toBe(1);
      const sarif = JSON.parse(
        (await runCli(['lint', 'Dockerfile', '--no-shellcheck', '--format', 'sarif'], { cwd: dir, env })).stdout,
      );
      expect(sarif.runs[0].results.map((r: { ruleId: string; level: string }) => [r.ruleId, r.level])).toEqual([
        ['DF225', 'note'],
      ]);
    },
  );

  it("keeps ShellCheck's style level: legacy backticks (SC2006) do not fail the default gate", async () => {
    const dir = temp();
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:12-slim\nRUN echo "`uname`" > /tmp/os\nUSER 1000\n');
    const result = await runCli(['lint', 'Dockerfile', '--format', 'json'], { cwd: dir });
    const findings = JSON.parse(result.stdout).targets[0].findings;
    expect(findings.filter((f: { code: string }) => f.code === 'SC2006')).toEqual([
      expect.objectContaining({ severity: 'style' }),
    ]);
    expect(findings.filter((f: { severity: string }) => f.severity !== 'style')).toEqual([]);
    expect(result.code).toBe(0);
  });
});
