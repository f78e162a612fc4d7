// ShellCheck inside `ballast lint` (issue 14), against Debian's real shellcheck binary (scripts/setup-tests.sh installs
// it; these tests fail when it is missing rather than skip). The CLI tests run the compiled dist/ (`npm run build` first).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { analyzeStages } from '../../src/dockerfile/stages.js';
import { lintText } from '../../src/lint/engine.js';
import { PACKAGE_SUBCOMMANDS, type PackageManager } from '../../src/lint/helpers.js';
import { lint } from '../../src/services/lint.js';
import {
  findShellcheck,
  MAX_SHELLCHECK_NESTING,
  MAX_SHELLCHECK_SCRIPT_BYTES,
  shellcheckBatch,
  shellcheckTimeout,
  shellScripts,
} from '../../src/lint/shellcheck.js';
import { splitsPackageList } from '../../src/lint/word-splitting.js';
import { runCli } from '../helpers/cli.js';
import { sarifValidator } from '../helpers/sarif.js';

const temp = () => mkdtempSync(join(tmpdir(), 'ballast-shellcheck-'));
const binary = findShellcheck(undefined);
const scripts = (text: string) =>
  shellScripts(parseDockerfile(text, 'Dockerfile'), analyzeStages(parseDockerfile(text, 'Dockerfile')));
const sc = (text: string, options: Parameters<typeof lintText>[3] = {}) =>
  lintText(text, 'Dockerfile', [], { shellcheck: shellcheckBatch(binary!).runner, ...options }).findings.map(
    (f) =>
      `${f.code}@${f.location.kind === 'dockerfile' ? `${f.location.line}:${f.location.column}` : ''}:${f.severity}`,
  );

describe('the scripts ShellCheck sees', () => {
  it('keeps Dockerfile lines and columns: continuations, comment lines inside them, heredocs, ONBUILD RUN', () => {
    const text = [
      'FROM debian:12', // 1
      'ARG version=1', // 2
      'RUN --mount=type=cache,target=/root/.cache \\', // 3
      '    apt-get update && \\', // 4
      '    # a comment the builder drops', // 5
      '    apt-get install -y curl', // 6
      'RUN <<EOF', // 7
      'echo one', // 8
      'echo two', // 9
      'EOF', // 10
      'ONBUILD RUN make', // 11
      'RUN ["sh", "-c", "echo $x"]', // 12: exec form is never shell-checked (hadolint neither)
    ].join('\n');
    const found = scripts(text);
    expect(found.map((s) => s.instruction.line)).toEqual([3, 7, 11]);
    const [continued, heredoc, onbuild] = found;
    // A shebang for the stage's shell, then the stage's ARG/ENV names (and the proxy ARGs) declared.
    expect(continued.text.split('\n').slice(0, 2)).toEqual([
      '#!/bin/sh',
      expect.stringMatching(/^export version HTTP_PROXY http_proxy /),
    ]);
    // The comment line becomes a lone continuation, so the shell still reads one command.
    expect(continued.text.split('\n').slice(2)).toEqual([
      '    apt-get update && \\',
      '\\',
      '    apt-get install -y curl',
      '',
    ]);
    expect(continued.lines).toEqual([3, 3, 4, 5, 6]);
    expect(heredoc.lines.slice(2)).toEqual([8, 9]);
    expect(onbuild.text).toMatch(/^ {12}make$/m);
  });

  it('skips PowerShell and cmd stages, the shell=powershell pragma and heredocs with another interpreter; follows SHELL', () => {
    expect(scripts('FROM debian:12\nSHELL ["pwsh", "-Command"]\nRUN echo $x')).toEqual([]);
    expect(scripts('# hadolint shell=powershell\nFROM mcr.microsoft.com/powershell\nRUN echo $x')).toEqual([]);
    expect(scripts('FROM python:3.12\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF')).toEqual([]);
    expect(scripts('FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN echo $x')[0].text).toMatch(
      /^#!\/bin\/bash\n/,
    );
    // A stage built FROM another keeps its SHELL.
    expect(scripts('FROM debian:12 AS a\nSHELL ["/bin/bash", "-c"]\nFROM a\nRUN echo $x')[0].text).toMatch(
      /^#!\/bin\/bash\n/,
    );
    // A heredoc fed to a shell is that shell's script: `RUN <<EOF bash` is checked as bash, line for line.
    const fed = scripts('FROM debian:12\nRUN <<EOF bash\necho $x\nEOF')[0];
    expect(fed.text).toMatch(/^#!\/bin\/bash\n[^\n]*\necho \$x\n$/);
    expect(fed.lines).toEqual([2, 2, 3]);
    // The shell fed the heredoc reads its `#!` line as a comment: bash's script, not the line's sh (nor python's).
    const commented = scripts('FROM debian:12\nRUN <<EOF bash\n#!/bin/sh\necho $x\nEOF')[0];
    expect(commented.text).toMatch(/^#!\/bin\/bash\n[^\n]*\n#!\/bin\/sh\necho \$x\n$/);
    expect(commented.lines).toEqual([2, 2, 3, 4]);
    expect(scripts('FROM debian:12\nRUN <<EOF bash\n#!/usr/bin/env python3\necho $x\nEOF')).toHaveLength(1);
  });

  it('decides by base image and SHELL, not by `# escape=`: a Linux file with backtick continuations is checked', () => {
    const linux = scripts(
      ['# escape=`', 'FROM debian:12', 'RUN apt-get update && `', '    # dropped', '    echo $x'].join('\n'),
    );
    expect(linux).toHaveLength(1);
    // The backtick continuation becomes the shell's `\`, line for line.
    expect(linux[0].text.split('\n').slice(2)).toEqual(['    apt-get update && \\', '\\', '    echo $x', '']);
    expect(linux[0].lines).toEqual([3, 3, 3, 4, 5]);
    // A Windows base (or a SHELL of PowerShell/cmd) turns the checks off, whatever the escape character.
    expect(scripts('# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo $x')).toEqual([]);
    expect(scripts('FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN echo $x')).toEqual([]);
    expect(scripts('# escape=`\nFROM debian:12\nSHELL ["cmd", "/S", "/C"]\nRUN echo %x%')).toEqual([]);
    // One file, a Windows stage then a Linux one: only the Linux stage's RUN is checked.
    const mixed = ['# escape=`', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'RUN echo %x%'];
    expect(scripts([...mixed, 'FROM debian:12', 'RUN echo $x'].join('\n')).map((s) => s.instruction.line)).toEqual([5]);
  });
});

describe('ShellCheck findings', () => {
  it('finds the shellcheck binary this suite needs (Debian package shellcheck)', () => {
    expect(binary).toBeDefined();
  });

  it('checks `RUN <<EOF bash` as bash even when its body starts with `#!/bin/sh`, and by its `#!` without the shell', () => {
    const body = ['#!/bin/sh', '[[ -f /x ]] && echo y', 'EOF'];
    expect(sc(['FROM debian:12', 'RUN <<EOF bash', ...body].join('\n'))).toEqual([]);
    expect(sc(['FROM debian:12', 'RUN <<EOF', ...body].join('\n'))).toEqual(['SC3010@4:1:warning']);
  });

  it('`RUN echo $MISSING_QUOTES` gives SC2086 on line 1, at info (ShellCheck says info)', () => {
    expect(sc('RUN echo $MISSING_QUOTES')).toEqual(['SC2086@1:10:info']);
  });

  it('leaves out the lone `--` that ends the flags (the builder drops it), keeping the columns of what follows', () => {
    expect(sc('FROM debian:12\nRUN -- echo $A_B')).toEqual(['SC2086@2:13:info']);
    expect(sc('FROM debian:12\nRUN --network=none -- \\\n    echo $A_B')).toEqual(['SC2086@3:10:info']);
  });

  it('checks a Linux Dockerfile written with `# escape=` (a backtick), at its own lines', () => {
    expect(sc('# escape=`\nFROM debian:12\nRUN true && `\n    echo $A_B')).toEqual(['SC2086@4:10:info']);
  });

  it('reports at the Dockerfile line through continuations and heredocs', () => {
    const text = [
      'FROM debian:12',
      'RUN true && \\',
      '    # comment',
      '    echo $A_B',
      'RUN <<EOF',
      'echo start',
      'cd /x',
      'echo $C_D',
      'EOF',
    ].join('\n');
    expect(sc(text)).toEqual(['SC2086@4:10:info', 'SC2164@7:1:warning', 'SC2086@8:6:info']);
  });

  it('declares the stage ARG/ENV names, so only undeclared lower-case names are SC2154', () => {
    const text = ['FROM debian:12', 'ARG version', 'ENV home=/x', 'RUN echo "$version $home $other"'].join('\n');
    expect(sc(text)).toEqual(['SC2154@4:26:warning']);
  });

  // Only the names in scope at that RUN: a name defined in another stage, or later in this one, is still SC2154.
  it('declares only the names in scope at the RUN: not other stages, not later ones', () => {
    const text = [
      'ARG global=1', // 1
      'ARG redeclared=1', // 2
      'FROM debian:12 AS base', // 3
      'ARG base_arg=1', // 4
      'ENV base_env=1', // 5
      'FROM debian:12 AS other', // 6
      'ENV other_env=1', // 7
      'FROM base', // 8
      'ARG redeclared', // 9
      'RUN echo "$base_env $redeclared $http_proxy" "$other_env" "$global" "$later"', // 10: the last three are not in scope
      'ENV later=1', // 11
    ].join('\n');
    expect(sc(text)).toEqual(['SC2154@10:47:warning', 'SC2154@10:60:warning', 'SC2154@10:70:warning']);
  });

  it("declares a secret mount's env= name for that RUN only, so it is not SC2154", () => {
    const text = [
      'FROM debian:12',
      'RUN --mount=type=secret,id=tok,env=tok echo "$tok"',
      'RUN --mount=Type=Secret,id=key,Env=key echo "$key"',
      // Not a secret mount, and the name is this RUN's alone: both stay SC2154.
      'RUN --mount=type=cache,target=/c,env=c echo "$c $tok"',
      'ONBUILD RUN --mount=type=secret,id=tok,env=tok echo "$tok"',
    ].join('\n');
    expect(sc(text)).toEqual(['SC2154@4:46:warning', 'SC2154@4:49:warning']);
  });

  it('keeps one finding per spot ShellCheck names: two unquoted variables on one line are two', () => {
    expect(sc('FROM debian:12\nARG A\nARG B\nRUN echo $A $B')).toEqual(['SC2086@4:10:info', 'SC2086@4:13:info']);
  });

  it("trims ShellCheck's messages: SC1072 comes with a leading space, which pushed the stylish column out of line", () => {
    const text = 'FROM alpine:3.19\n# escape=`\nRUN echo a `\n  b\n';
    const messages = lintText(text, 'Dockerfile', [], { shellcheck: shellcheckBatch(binary!).runner })
      .findings.filter((f) => f.code.startsWith('SC'))
      .map((f) => `${f.code} ${f.message}`);
    expect(messages).toContain('SC1072 Fix any mentioned problems and try again.');
    expect(messages.filter((m) => m !== m.trim() || m.split(' ')[1] === '')).toEqual([]);
  });

  // Quoting a package list as SC2086 advises installs one package named "a b c": the build breaks. Where a variable is a
  // whole package argument of a package manager, the splitting is the point; everywhere else SC2086 stays.
  it.each([
    ['apt-mark manual $savedAptMark', []],
    ['apt-get purge -y --auto-remove $fetchDeps', []],
    ['apt-get install -y --no-install-recommends ${buildDeps}', []],
    ['apk add --no-cache --virtual .run-deps $runDeps', []],
    ['apk del --no-network .build-deps $extra', []],
    ['sudo dnf install -y $PKGS && microdnf remove $OLD', []],
    ['yum install -y $PKGS', []],
    ['zypper --non-interactive in $PKGS', []],
    ['pip install --no-cache-dir $PIP_PACKAGES', []],
    ['python3 -m pip install $PIP_PACKAGES', []],
    ['npm install -g $NPM_PACKAGES', []],
    ['gem install $GEMS', []],
    ['apt-get build-dep -y $SRC', []],
    ['dnf module install -y $MODULES', []],
    ['yum -y module install $MODULES', []],
    ['yarn add --dev $NODE_PACKAGES', []],
    ['yarn global add $NODE_PACKAGES', []],
    ['pnpm add -g $NODE_PACKAGES', []],
    ['yarn workspace web add $NODE_PACKAGES', []],
    ['yarn remove $NODE_PACKAGES', []],
    ['pnpm uninstall $NODE_PACKAGES', []],
    ['microdnf module enable $MODULES', []],
    ['dnf -y module disable $MODULES', []],
    // Run through `command` or `xargs` (past their options), the package manager still reads the list.
    ['command apt-get install -y $PKGS', []],
    ['command -p apt-get install -y $PKGS', []],
    ['xargs apt-get install -y $PKGS < /dev/null', []],
    ['xargs -r -n 1 -I {} apt-get install -y $PKGS {} < list', []],
    // `command -v` only looks the program up: its words are names, not packages.
    ['command -v apt-get $PKGS', ['SC2086@3:24:info']],
    // A package list and, after it, a word SC2086 is right about: only the second is kept.
    ['apk add $runDeps && cd $runDeps', ['SC2086@3:28:info']],
    // A single word: the value of an option, part of a word, or not a package manager's package list.
    ['mix deps.get --only $MIX_ENV', ['SC2086@3:25:info']],
    ['apt-get install -y -t $RELEASE curl', ['SC2086@3:27:info']],
    ['apk add --virtual $NAME curl', ['SC2086@3:23:info']],
    ['yarn add --cwd $DIR left-pad', ['SC2086@3:20:info']],
    ['pnpm add --filter $APP left-pad', ['SC2086@3:23:info']],
    ['yarn workspace $WS add left-pad', ['SC2086@3:20:info']],
    ['apt-get install -y lib$FLAVOR-dev', ['SC2086@3:27:info']],
    ['apt-get update $X', ['SC2086@3:20:info']],
    ['cd $DIR', ['SC2086@3:8:info']],
    ['rm -rf $X', ['SC2086@3:12:info']],
    ['echo apt-get install $P', ['SC2086@3:26:info']],
  ])('`RUN %s` gives %j', (run, expected) => {
    expect(sc(`FROM debian:12\nARG A\nRUN ${run}`).filter((f) => f.startsWith('SC2086'))).toEqual(expected);
  });

  // One program of each manager: a subcommand added to the table the unpinned rules read is a package list here too.
  const programs: Record<PackageManager, string> = {
    apt: 'apt-get',
    'apt-mark': 'apt-mark',
    apk: 'apk',
    rpm: 'dnf',
    zypper: 'zypper',
    pip: 'pip',
    npm: 'npm',
    gem: 'gem',
    'rpm-module': 'dnf module',
    yarn: 'yarn',
    'yarn-global': 'yarn global',
    pnpm: 'pnpm',
  };
  it.each(
    Object.entries(PACKAGE_SUBCOMMANDS).flatMap(([manager, { installs, others }]) =>
      [...installs, ...others].map((sub) => `${programs[manager as PackageManager]} ${sub} $PKGS`),
    ),
  )('keeps SC2086 off the package list of `%s`', (script) => {
    const column = script.indexOf('$') + 1;
    expect(splitsPackageList(script, { line: 1, column, endLine: 1, endColumn: column + '$PKGS'.length }, 'sh')).toBe(
      true,
    );
  });

  it('keeps SC2086 off a package list across continuation lines and in a heredoc', () => {
    const text = [
      'FROM php:8.3-fpm',
      'RUN savedAptMark="$(apt-mark showmanual)"; \\',
      '    apt-get install -y libzip-dev; \\',
      "    apt-mark auto '.*' > /dev/null; \\",
      '    apt-mark manual $savedAptMark; \\',
      '    echo $savedAptMark',
      'RUN <<EOF',
      'apk add --no-cache \\',
      '\t$runDeps',
      'EOF',
    ].join('\n');
    expect(sc(text).filter((f) => f.startsWith('SC2086'))).toEqual(['SC2086@6:10:info']);
  });

  // The script is read as the RUN's shell reads it (bash reads `$'it\\'s'` as `it's`; as sh
  // read it, a quote opened after `s` hid the apt-get whose package list $PKGS is).
  it("keeps SC2086 off a package list after a $'...' under a bash SHELL", () => {
    const run = "RUN echo $'it\\'s' && apt-get install -y $PKGS && echo $A";
    expect(sc(`FROM debian:12\nSHELL ["/bin/bash", "-c"]\n${run}`).filter((f) => f.startsWith('SC2086'))).toEqual([
      'SC2086@3:55:info',
    ]);
  });

  // Alpine's /bin/sh (and busybox's, and an ash SHELL) is BusyBox ash, which ShellCheck 0.9 checks
  // as POSIX sh: `set -o pipefail`, `$'...'`, `source`, `local`, `read -p` were reported as undefined, though ash has
  // them (checked with BusyBox 1.35.0). What ash lacks (arrays) is still reported, and `[[ ]]`, which ash splits in.
  // A zsh SHELL's scripts were checked as sh, which ShellCheck does not support (SC1071): `[[ ]]` was SC3010.
  it('checks a BusyBox ash RUN without the POSIX findings for what ash has, and leaves zsh RUNs unchecked', () => {
    const run =
      'RUN set -o pipefail && wget -qO- https://x/a.tgz | tar xz && printf $\'a\\tb\' && source /etc/profile && read -p x -r v && echo "$v"';
    const posix = ['SC3003@2:69:warning', 'SC3040@2:12:warning', 'SC3045@2:108:warning', 'SC3046@2:80:warning'];
    expect(sc(`FROM debian:12\n${run}`).sort()).toEqual(posix);
    for (const from of ['alpine:3.20', 'php:8.3-fpm-alpine3.19', 'busybox:1.36'])
      expect(sc(`FROM ${from}\n${run}`)).toEqual([]);
    expect(sc(`FROM debian:12\nSHELL ["/bin/ash", "-c"]\n${run}`)).toEqual([]);
    expect(sc('FROM alpine:3.20\nRUN a=(1 2) && [[ -d /a ]] && echo "${a}"').sort()).toEqual([
      'SC2128@2:37:warning',
      'SC3010@2:16:warning',
      'SC3030@2:7:warning',
    ]);
    expect(sc('FROM debian:12\nSHELL ["/bin/zsh", "-c"]\nRUN [[ -d /a ]] && echo $x')).toEqual([]);
  });

  // ksh93 and mksh have `$'...'`: their SHELL's scripts were checked as sh (SC3003), and a heredoc's `#!/bin/mksh` was
  // given to ShellCheck as written, which it does not know (SC1008, an error). Both are checked as ksh now.
  it('checks ksh93 and mksh scripts as ksh', () => {
    for (const shell of ['/bin/ksh', '/bin/ksh93', '/bin/mksh', 'lksh'])
      expect(sc(`FROM debian:12\nSHELL ["${shell}", "-c"]\nRUN echo $'a\\tb' $x`)).toEqual([
        'SC2086@3:18:info',
        'SC2154@3:18:warning',
      ]);
    for (const shebang of ['#!/bin/mksh', '#!/usr/bin/env ksh93'])
      expect(sc(`FROM debian:12\nRUN <<EOF\n${shebang}\necho $'a\\tb' $x\nEOF`)).toEqual([
        'SC2086@4:14:info',
        'SC2154@4:14:warning',
      ]);
  });

  // A heredoc's own `#!/bin/sh` runs the image's /bin/sh, BusyBox ash on Alpine, as the default SHELL does (SC3037 was
  // reported for it), also in a stage built FROM an Alpine stage or on an Alpine image a global ARG names. dash's stays.
  it('checks a heredoc with its own #!/bin/sh on Alpine as BusyBox ash', () => {
    const run = 'RUN <<EOF\n#!/bin/sh\necho -e "a\\tb"\nEOF';
    expect(sc(`FROM debian:12\n${run}`)).toEqual(['SC3037@4:6:warning']);
    expect(sc(`FROM alpine:3.20\n${run}`)).toEqual([]);
    expect(sc(`FROM alpine:3.20 AS base\nFROM base\n${run}`)).toEqual([]);
    expect(sc(`ARG BASE=alpine:3.20\nFROM \${BASE}\n${run}`)).toEqual([]);
  });

  // Fedora's, Red Hat's and Amazon Linux's /bin/sh is bash: its RUNs (and a heredoc's own `#!/bin/sh`) were checked as
  // POSIX sh, and got "undefined in POSIX sh" for what bash has (SC3040 for `set -o pipefail`, SC3037 for `echo -e`).
  it('checks a RUN where /bin/sh is bash as bash', () => {
    const run =
      'RUN set -o pipefail && wget -qO- https://x/a.tgz | tar xz && printf $\'a\\tb\' && source /etc/profile && read -p x -r v && echo "$v"';
    for (const from of ['fedora:40', 'registry.access.redhat.com/ubi9/ubi-minimal', 'amazonlinux:2023'])
      expect(sc(`FROM ${from}\n${run}`)).toEqual([]);
    expect(sc('FROM fedora:40\nRUN <<EOF\n#!/bin/sh\necho -e "a\\tb"\nEOF')).toEqual([]);
    expect(sc('FROM fedora:40 AS base\nFROM base\nRUN [[ -d /a ]] && echo $x')).toEqual([
      'SC2086@3:25:info',
      'SC2154@3:25:warning',
    ]);
  });

  // ash reads `$'it\'s'` as bash does: a quote read as dash's opened after `s` and hid the apk whose package list
  // $PKGS is, which then got SC2086.
  it("keeps SC2086 off a package list after a $'...' on Alpine", () => {
    const run = "RUN echo $'it\\'s' && apk add --no-cache $PKGS && echo $A";
    expect(sc(`FROM alpine:3.20\n${run}`).filter((f) => f.startsWith('SC2086'))).toEqual(['SC2086@2:55:info']);
  });

  it('honours # hadolint ignore=SC2086, # ballast-ignore SC2086 and configured severities', () => {
    expect(sc('FROM debian:12\n# hadolint ignore=SC2086\nRUN echo $A\nRUN echo $B')).toEqual(['SC2086@4:10:info']);
    expect(sc('FROM debian:12\n# ballast-ignore SC2086 we want splitting\nRUN echo $A')).toEqual([]);
    expect(sc('# hadolint global ignore=SC2086\nFROM debian:12\nRUN echo $A')).toEqual([]);
    expect(sc('FROM debian:12\nRUN echo $A', { severities: { SC2086: 'off' } })).toEqual([]);
    expect(sc('FROM debian:12\nRUN echo $A', { severities: { SC2086: 'error' } })).toEqual(['SC2086@2:10:error']);
  });

  it('runs one shellcheck process per Dockerfile, whatever the number of RUNs', () => {
    const dir = temp();
    const log = join(dir, 'calls');
    const wrapper = join(dir, 'shellcheck');
    writeFileSync(wrapper, `#!/bin/sh\necho call >> '${log}'\nexec '${binary}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    const text = ['FROM debian:12', ...Array.from({ length: 20 }, (_, i) => `RUN echo $V${i}`)].join('\n');
    const found = lintText(text, 'Dockerfile', [], { shellcheck: shellcheckBatch(wrapper).runner }).findings;
    expect(found.map((f) => (f.location.kind === 'dockerfile' ? f.location.line : 0))).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 2),
    );
    expect(readFileSync(log, 'utf8')).toBe('call\n');
  });
});

describe('ShellCheck over many Dockerfiles', () => {
  // A wrapper that logs each shellcheck started, then runs the real one (or, `broken`, fails as a bad install does).
  const wrapped = (dir: string, broken = false) => {
    const wrapper = join(dir, 'shellcheck');
    const body = broken ? 'echo "shellcheck: broken install" >&2\nexit 3' : `exec '${binary}' "$@"`;
    writeFileSync(wrapper, `#!/bin/sh\necho call >> '${join(dir, 'calls')}'\n${body}\n`);
    chmodSync(wrapper, 0o755);
    return wrapper;
  };
  const calls = (dir: string) => readFileSync(join(dir, 'calls'), 'utf8').split('\n').filter(Boolean).length;

  it('checks the scripts of every Dockerfile of a run in few shellcheck processes, each finding at its file and line', async () => {
    const dir = temp();
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const names = ['a', 'b', 'c'].map((n) => `${n}.Dockerfile`);
    names.forEach((name, i) =>
      writeFileSync(join(dir, name), `FROM debian:12\n${'RUN true\n'.repeat(i)}RUN echo $V${i}\nRUN cd /x${i}\n`),
    );
    const result = await runCli(['lint', '--shellcheck', wrapped(dir), '--json', '--fail-on', 'none', ...names], {
      cwd: dir,
      env: { TMPDIR: tmp },
    });
    const report = JSON.parse(result.stdout) as {
      targets: { target: string; findings: { code: string; location: { line: number; column: number } }[] }[];
    };
    expect(
      report.targets.map((t) => [
        t.target,
        t.findings
          .filter((f) => f.code.startsWith('SC'))
          .map((f) => `${f.code}@${f.location.line}:${f.location.column}`),
      ]),
    ).toEqual(names.map((name, i) => [name, [`SC2086@${i + 2}:10`, `SC2164@${i + 3}:5`]]));
    // One per Dockerfile before (3); now one for the run.
    expect(calls(dir)).toBe(1);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('leaves a RUN script over MAX_SHELLCHECK_SCRIPT_BYTES out, with one note naming it, and checks the others', async () => {
    // ShellCheck's time and memory grow faster than a script: a 32 KB chain of `apt-get install x &&` took it 11 s and
    // 1.3 GB, 64 KB 36 s and 4.7 GB, 256 KB over two minutes; a 3 MB RUN ran for minutes before its time limit.
    const dir = temp();
    const big = `RUN ${'echo $A && '.repeat(Math.ceil(MAX_SHELLCHECK_SCRIPT_BYTES / 11))}true\n`;
    writeFileSync(join(dir, 'Dockerfile'), `FROM debian:12\n${big}RUN echo $B\n`);
    const result = await runCli(['lint', '--shellcheck', binary!, '--json', '--fail-on', 'none', 'Dockerfile'], {
      cwd: dir,
    });
    const report = JSON.parse(result.stdout) as {
      targets: { findings: { code: string; location: { line: number } }[] }[];
    };
    const sc = report.targets[0].findings.filter((f) => f.code.startsWith('SC'));
    expect(sc.map((f) => `${f.code}@${f.location.line}`)).toEqual(['SC2086@3']);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^note: ShellCheck did not check the RUN at Dockerfile:2: its script is \d+ KiB, over the 16 KiB limit \(/,
      ),
    ]);
  });

  // Regression (hostile input review): a 15 KB RUN of `$(` nested 5000 deep ran ShellCheck into its time limit, at
  // 1 GB, and failed the run.
  it('leaves a RUN script nested deeper than MAX_SHELLCHECK_NESTING out, with one note naming it', () => {
    const nested = (depth: number) => `RUN echo ${'$('.repeat(depth)}true${')'.repeat(depth)}\n`;
    const text = `FROM debian:12\n${nested(MAX_SHELLCHECK_NESTING + 1)}${nested(MAX_SHELLCHECK_NESTING)}`;
    const said = { file: 'Dockerfile', notes: [] as string[] };
    const found = shellScripts(
      parseDockerfile(text, 'Dockerfile'),
      analyzeStages(parseDockerfile(text, 'Dockerfile')),
      said,
    );
    expect(found.map((s) => s.instruction.line)).toEqual([3]);
    expect(said.notes).toEqual([
      expect.stringMatching(
        new RegExp(
          `^ShellCheck did not check the RUN at Dockerfile:2: its script nests parentheses ${MAX_SHELLCHECK_NESTING + 1} deep, over the limit of ${MAX_SHELLCHECK_NESTING} \\(`,
        ),
      ),
    ]);
  });

  it('says so too when lintText itself works out the scripts (no service in between), with the same note', () => {
    const big = `RUN ${'echo $A && '.repeat(Math.ceil(MAX_SHELLCHECK_SCRIPT_BYTES / 11))}true\n`;
    const text = `FROM debian:12\n${big}RUN echo $B\n`;
    const result = lintText(text, 'Dockerfile', [], { shellcheck: shellcheckBatch(binary!).runner });
    expect(result.findings.map((f) => f.code)).toEqual(['SC2086']);
    const said = { file: 'Dockerfile', notes: [] as string[] };
    shellScripts(parseDockerfile(text, 'Dockerfile'), analyzeStages(parseDockerfile(text, 'Dockerfile')), said);
    expect(said.notes).toHaveLength(1);
    expect(result.notes).toEqual(said.notes);
    // Without ShellCheck nothing was left unchecked by it, so there is nothing to say.
    expect(lintText(text, 'Dockerfile', []).notes).toEqual([]);
  });

  it('gives the same comments whichever process of a batch checked a script', async () => {
    const text = (i: number) => `FROM debian:12\n${'RUN true\n'.repeat(i % 4)}RUN echo $V${i % 5} && cd /d${i % 3}\n`;
    const all = Array.from({ length: 12 }, (_, i) => scripts(text(i)));
    const batch = shellcheckBatch(binary!, { jobs: 2, chunk: 2, share: 1 });
    await batch.prefetch(all.flat());
    // Not prefetched: each call checks its scripts then, in one process of its own.
    const one = shellcheckBatch(binary!).runner;
    for (const found of all) expect(batch.runner(found)).toEqual(one(found));
  });

  it('stops at the first failure in file order: a shellcheck failing on file 1 before file 5 being unreadable', async () => {
    const dir = temp();
    const names = ['1', '2', '3', '4', '5'].map((n) => `${n}.Dockerfile`);
    for (const name of names.slice(0, 4)) writeFileSync(join(dir, name), 'FROM debian:12\nRUN echo $A\n');
    writeFileSync(join(dir, names[4]), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0, 1, 2, 3]));
    const run = lint({ files: names, cwd: dir, shellcheck: wrapped(dir, true) });
    await expect(run).rejects.toThrow(/^shellcheck \(.*\) failed: shellcheck: broken install$/);
    // With file 1 readable and shellcheck working, file 5 is the error.
    await expect(lint({ files: names, cwd: dir, shellcheck: wrapped(dir) })).rejects.toThrow(
      /5\.Dockerfile is not a text/,
    );
  });

  it('gives each shellcheck process a time limit that grows with the scripts it checks', () => {
    // Before, every process had one minute, whether it checked one Dockerfile's scripts or 200 of a batch.
    expect(shellcheckTimeout(1)).toBeGreaterThanOrEqual(60_000);
    expect(shellcheckTimeout(200)).toBeGreaterThanOrEqual(shellcheckTimeout(1) + 199 * 1_000);
    expect(shellcheckTimeout(20)).toBeLessThan(shellcheckTimeout(200));
  });

  it('a shellcheck that fails in a batch is one error line and exit 2, its temp files removed', async () => {
    const dir = temp();
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    for (const n of ['a', 'b']) writeFileSync(join(dir, `${n}.Dockerfile`), 'FROM debian:12\nRUN echo $A\n');
    const result = await runCli(['lint', '--shellcheck', wrapped(dir, true), '.'], { cwd: dir, env: { TMPDIR: tmp } });
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(/^error: shellcheck \(.*\) failed: shellcheck: broken install \(hint: .*\)\n$/);
    expect(readdirSync(tmp)).toEqual([]);
  });
});

describe('a shellcheck that fails', () => {
  it('is one error line and exit 2, not a stack trace or findings from nothing', async () => {
    const dir = temp();
    const broken = join(dir, 'shellcheck');
    writeFileSync(broken, '#!/bin/sh\necho "shellcheck: broken install" >&2\nexit 3\n');
    chmodSync(broken, 0o755);
    expect(() =>
      lintText('FROM debian:12\nRUN echo $A', 'Dockerfile', [], { shellcheck: shellcheckBatch(broken).runner }),
    ).toThrow(/shellcheck \(.*\) failed: shellcheck: broken install/);
    const result = await runCli(['lint', '--shellcheck', broken, '-'], { input: 'FROM debian:12\nRUN echo $A\n' });
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(
      /^error: shellcheck \(.*\) failed: shellcheck: broken install \(hint: .*--no-shellcheck\)\n$/,
    );
  });
});

describe('a --shellcheck binary that prints no ShellCheck report', () => {
  // Regression: /bin/false (or `yes`, refusing --format=json1) exits 1 as ShellCheck does with findings and printed
  // nothing, which read as "no findings" and dropped every SC finding; garbage failed with JSON.parse's words.
  const fake = (body: string) => {
    const file = join(temp(), 'fake-shellcheck');
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  };
  it.each([
    ['exit 1', 'printed nothing and exited with status 1'],
    ['exit 0', 'printed nothing and exited with status 0'],
    [
      'echo "unknown option --format" >&2; exit 1',
      'printed nothing and exited with status 1 (unknown option --format)',
    ],
    ['echo "garbage{{"', 'printed "garbage{{" and exited with status 0'],
    ['echo \'{"x":1}\'', 'printed "{\\"x\\":1}" and exited with status 0'],
  ])('`%s` is one error line naming it, exit 2', async (body, said) => {
    const binary = fake(body);
    const result = await runCli(['lint', '--shellcheck', binary, '-'], { input: 'FROM debian:12\nRUN echo $A\n' });
    expect([result.code, result.stdout, result.stderr]).toEqual([
      2,
      '',
      `error: shellcheck (${binary}) gave no ShellCheck JSON report: it ${said} ` +
        '(hint: pass the path of ShellCheck (it must take --format=json1), or --no-shellcheck)\n',
    ]);
  });
});

describe('a shellcheck that runs past its time limit', () => {
  // One that never answers; a time limit of 0.2 s (the real one is a minute and more) stops it.
  const stuck = () => {
    const file = join(temp(), 'shellcheck');
    writeFileSync(file, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(file, 0o755);
    return file;
  };
  const timeout = () => 200;
  const note = /^ShellCheck did not check the RUN at Dockerfile:2: it was stopped at its time limit of 0\.2 seconds \(/;

  // Before: the run failed ("shellcheck (...) timed out after 61 seconds on 1 script", exit 2) with no findings at
  // all, for one script ShellCheck could not finish (a RUN of `$(` nested 5000 deep took it past a minute and 1 GB).
  it('leaves the scripts of a batch that timed out unchecked, with a note naming their RUNs', async () => {
    const batch = shellcheckBatch(stuck(), { timeout });
    const found = scripts('FROM debian:12\nRUN echo $A\n');
    await batch.prefetch(found);
    expect(batch.runner(found)).toEqual([]);
    expect(batch.notes('Dockerfile', found)).toEqual([expect.stringMatching(note)]);
  });

  it('does the same when a lint checks its scripts itself', () => {
    const batch = shellcheckBatch(stuck(), { timeout });
    expect(lintText('FROM debian:12\nRUN echo $A\n', 'Dockerfile', [], { shellcheck: batch.runner }).findings).toEqual(
      [],
    );
    expect(batch.notes('Dockerfile', scripts('FROM debian:12\nRUN echo $A\n'))).toEqual([expect.stringMatching(note)]);
  });

  it('a lint run reports the other findings, and the note', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian\nRUN echo $A\n');
    const result = await lint({ files: ['Dockerfile'], cwd: dir, shellcheck: stuck(), shellcheckTimeout: timeout });
    expect(result.report.targets[0].findings.map((f) => f.code)).toContain('DF022');
    expect(result.notices).toEqual([expect.stringMatching(note)]);
  });
});

describe('ballast lint with ShellCheck (CLI)', () => {
  const node = process.execPath;
  const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

  it('reports SC codes in the text, JSON and SARIF output; nothing with --no-shellcheck', async () => {
    const input = 'FROM alpine:3.20\nRUN echo $MISSING_QUOTES\n';
    const text = await runCli(['lint', '-', '--fail-on', 'none'], { input });
    expect(text.stdout).toMatch(
      /2:10\s+info\s+Double quote to prevent globbing and word splitting\.\s+SC2086 shellcheck/,
    );
    expect(text.stderr).toBe('');
    const json = JSON.parse((await runCli(['lint', '-', '--json'], { input })).stdout) as {
      targets: { findings: { code: string }[] }[];
    };
    expect(json.targets[0].findings.map((f) => f.code)).toContain('SC2086');
    const sarif = JSON.parse((await runCli(['lint', '-', '--format', 'sarif'], { input })).stdout) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[];
    };
    expect(
      sarif.runs[0].results.map((r) => [r.ruleId, r.locations[0].physicalLocation.region.startLine]),
    ).toContainEqual(['SC2086', 2]);
    const validate = sarifValidator();
    expect([validate(sarif), validate.errors ?? null]).toEqual([true, null]);
    const off = await runCli(['lint', '-', '--no-shellcheck', '--json'], { input });
    expect(off.stdout).not.toMatch(/SC2086/);
    // The oclif command (no fast path) does the same.
    const oclif = await runCli(['lint', '-', '--json'], { input, env: { BALLAST_NO_FAST_PATH: '1' } });
    expect(oclif.stdout).toMatch(/"SC2086"/);
  });

  it.each([
    ['fast path', '0'],
    ['oclif', '1'],
  ])('gives each SC code a SARIF rule entry that its results point at (%s)', async (_name, noFast) => {
    const input = 'FROM alpine:3.20\nRUN echo $MISSING_QUOTES\nRUN cd /tmp\n';
    const out = await runCli(['lint', '-', '--format', 'sarif'], { input, env: { BALLAST_NO_FAST_PATH: noFast } });
    const run = (
      JSON.parse(out.stdout) as {
        runs: {
          tool: { driver: { rules: { id: string; helpUri?: string }[] } };
          results: { ruleId: string; ruleIndex?: number }[];
        }[];
      }
    ).runs[0];
    const rules = run.tool.driver.rules;
    const sc = run.results.filter((r) => r.ruleId.startsWith('SC'));
    expect(sc.map((r) => r.ruleId)).toContain('SC2086');
    for (const result of run.results) expect(rules[result.ruleIndex!]?.id).toBe(result.ruleId);
    expect(rules.find((r) => r.id === 'SC2086')?.helpUri).toBe('https://www.shellcheck.net/wiki/SC2086');
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it('without shellcheck: no SC findings and one notice on stderr, none on --json stdout', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'a.Dockerfile'), 'FROM alpine:3.20\nRUN echo $X\n');
    writeFileSync(join(dir, 'b.Dockerfile'), 'FROM alpine:3.20\nRUN echo $Y\n');
    for (const env of [{ PATH: dir }, { PATH: dir, BALLAST_NO_FAST_PATH: '1' }]) {
      const result = await runCli(['lint', '--json', 'a.Dockerfile', 'b.Dockerfile'], { cwd: dir, env });
      expect(result.stdout).not.toMatch(/SC\d{4}/);
      expect(() => JSON.parse(result.stdout) as unknown).not.toThrow();
      expect(result.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^note: shellcheck was not found on PATH/),
      ]);
    }
    // An explicit binary that is not there is an error (exit 2, one line).
    const missing = await runCli(['lint', '--shellcheck', join(dir, 'nope'), 'a.Dockerfile'], { cwd: dir });
    expect({ code: missing.code, stderr: missing.stderr }).toEqual({
      code: 2,
      stderr: expect.stringMatching(/^error: --shellcheck .*nope: not an executable file \(hint: .*\)\n$/),
    });
    // --shellcheck PATH works when PATH has none.
    const given = await runCli(['lint', '--shellcheck', binary!, '--json', 'a.Dockerfile'], {
      cwd: dir,
      env: { PATH: dir },
    });
    expect(given.stdout).toMatch(/"SC2086"/);
    expect(given.stderr).toBe('');
  });

  it('honours .hadolint.yaml ignored: and override:, .ballast.yaml rules: and --ignore for SC codes', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'Dockerfile'), 'FROM alpine:3.20\nRUN echo $X && cd /tmp\n');
    writeFileSync(join(dir, '.hadolint.yaml'), 'ignored: [SC2086, DL3003]\n');
    const ignored = JSON.parse((await runCli(['lint', '--json'], { cwd: dir })).stdout) as {
      targets: { findings: { code: string }[] }[];
    };
    expect(ignored.targets[0].findings.map((f) => f.code)).not.toContain('SC2086');
    writeFileSync(join(dir, '.hadolint.yaml'), 'override:\n  error: [SC2086]\n');
    const raised = JSON.parse((await runCli(['lint', '--json'], { cwd: dir })).stdout) as {
      targets: { findings: { code: string; severity: string }[] }[];
    };
    expect(raised.targets[0].findings.filter((f) => f.code === 'SC2086').map((f) => f.severity)).toEqual(['error']);
    // .ballast.yaml (found first) and --ignore take SC codes too.
    writeFileSync(join(dir, '.ballast.yaml'), 'rules:\n  SC2086: off\n');
    expect((await runCli(['lint', '--json'], { cwd: dir })).stdout).not.toMatch(/"SC2086"/);
    expect(
      (await runCli(['lint', '--json', '--config', '.hadolint.yaml', '--ignore', 'SC2086'], { cwd: dir })).stdout,
    ).not.toMatch(/"SC2086"/);
  });

  it('pre-commit runs the hook with ShellCheck: an SC finding fails the commit check', () => {
    const repo = temp();
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: repo,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@t',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@t',
        },
      });
    git('init', '-q');
    const hooks = readFileSync('.pre-commit-hooks.yaml', 'utf8');
    const files = /files:\s*'([^']+)'/.exec(hooks)?.[1] ?? /files:\s*(\S+)/.exec(hooks)![1];
    // The repository's hook, run as a local system hook with this checkout's executable.
    writeFileSync(
      join(repo, '.pre-commit-config.yaml'),
      `repos:\n  - repo: local\n    hooks:\n      - id: ballast-lint\n        name: ballast lint\n        entry: ${JSON.stringify(`${node} ${bin} lint --ignore DF024`)}\n        language: system\n        files: ${JSON.stringify(files)}\n`,
    );
    writeFileSync(join(repo, 'Dockerfile'), 'FROM alpine:3.20\nRUN echo $MISSING_QUOTES\n');
    git('add', '.');
    const env = { ...process.env, PRE_COMMIT_HOME: join(repo, '.cache'), NO_COLOR: '1' };
    let output = '';
    let failed = false;
    try {
      execFileSync('pre-commit', ['run', '--all-files'], { cwd: repo, env, encoding: 'utf8' });
    } catch (error) {
      failed = true;
      output = String((error as { stdout: string }).stdout);
    }
    expect(output).not.toMatch(/InvalidConfigError/);
    expect(failed).toBe(true);
    expect(output).toMatch(/2:10\s+info\s+Double quote.*SC2086 shellcheck/);
    writeFileSync(join(repo, 'Dockerfile'), 'FROM alpine:3.20\nRUN echo "$MISSING_QUOTES"\nUSER 1000\n');
    git('add', '.');
    expect(execFileSync('pre-commit', ['run', '--all-files'], { cwd: repo, env, encoding: 'utf8' })).toMatch(/Passed/);
  });
});

describe('lint --fix on stdin', () => {
  it('prints the fixed file on stdout and what is left on stderr', async () => {
    const input = 'FROM debian:12\nRUN apt update && apt install -y --no-install-recommends curl=7.88.1-10\n';
    for (const env of [{}, { BALLAST_NO_FAST_PATH: '1' }]) {
      const result = await runCli(['lint', '--fix', '--no-shellcheck', '-'], { input, env });
      expect(result.stdout).toBe(
        'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10\n',
      );
      expect(result.stderr).toMatch(/DF001 apt-lists-not-removed/);
      // DF210 (apt for apt-get) was fixed: said as fixed, not listed as a finding left.
      expect(result.stderr).not.toMatch(/DF210 [a-z-]+$/m);
      expect(result.stderr).toContain('✔ fixed 1 problem: DF210');
      expect(result.code).toBe(1);
    }
    // Nothing to fix: the input comes back unchanged.
    const clean = 'FROM alpine:3.20\nUSER 1000\n';
    expect((await runCli(['lint', '--fix', '-'], { input: clean })).stdout).toBe(clean);
    // --json cannot share stdout with the fixed file: a usage error with the way out.
    const json = await runCli(['lint', '--fix', '--json', '-'], { input });
    expect({ code: json.code, stdout: json.stdout }).toEqual({ code: 2, stdout: '' });
    expect(json.stderr).toMatch(/^error: --fix on stdin .*\(hint: .*-o report\.json\)\n$/);
  });
});
