// The engine: pragmas, severities, stage awareness and the guarantees it gives rule authors.
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { analyzeStages } from '../../src/dockerfile/stages.js';
import { lintText } from '../../src/lint/engine.js';
import { shellScripts, type ShellScript } from '../../src/lint/shellcheck.js';
import { dockerfileMeta, defineRule, overlapKey, pathsOverlap, resolvePath } from '../../src/lint/helpers.js';
import { normalizePath } from '../../src/image/tar-header.js';
import { loadDockerfileRules } from '../../rules/index.js';

const codes = (text: string, rules: Awaited<ReturnType<typeof loadDockerfileRules>>, options = {}) =>
  lintText(text, 'Dockerfile', rules, options).findings.map(
    (f) => `${f.code}@${f.location.kind === 'dockerfile' ? f.location.line : 0}`,
  );

describe('pragmas', () => {
  let rules: Awaited<ReturnType<typeof loadDockerfileRules>>;
  beforeAll(async () => {
    rules = await loadDockerfileRules(['DF001', 'DF002', 'DF013', 'DF102']);
  });

  it('# ballast-ignore silences the next instruction only, by code, name or hadolint id, with a reason', () => {
    const text = [
      'FROM debian:12',
      '# ballast-ignore DF001,apt-install-recommends the lists are needed by the next step',
      'RUN apt-get update && apt-get install -y curl',
      'RUN apt-get update && apt-get install -y jq',
    ].join('\n');
    expect(codes(text, rules)).toEqual(['DF001@4', 'DF002@4']);
    expect(codes(text.replace('DF001,apt-install-recommends', 'DL3009'), rules)).toEqual([
      'DF002@3',
      'DF001@4',
      'DF002@4',
    ]);
  });

  it('# ballast-ignore-file silences a rule in the whole file', () => {
    const text = '# ballast-ignore-file DF002\nFROM debian:12\nRUN apt-get install -y curl\nRUN apt-get install -y jq';
    expect(codes(text, rules)).toEqual([]);
  });

  it('honours hadolint ignore= and global ignore= for rules that are the same, and nothing else', () => {
    const text = [
      'FROM debian:12',
      '# hadolint ignore=DL3009, DL3015 # reason',
      'RUN apt-get update && apt-get install -y curl',
      'COPY . .',
      'RUN npm ci',
    ].join('\n');
    expect(codes(text, rules)).toEqual(['DF013@4']);
    // DF013 has no hadolint twin: a hadolint pragma naming DF013 does not silence it.
    expect(codes('# hadolint global ignore=DF013\nFROM node:20\nCOPY . .\nRUN npm ci', rules)).toEqual(['DF013@3']);
    expect(
      codes(
        '# hadolint global ignore=DL3009\nFROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl',
        rules,
      ),
    ).toEqual([]);
    // Turned off: hadolint pragmas are not honoured.
    expect(
      codes('# hadolint global ignore=DL3009\nFROM debian:12\nRUN apt-get update', rules, { hadolintPragmas: false }),
    ).toEqual(['DF001@3']);
  });

  // hadolint binds `ignore=` to the line right below the pragma, and nothing further.
  it.each([
    ['directly above', ['# hadolint ignore=DL3015', 'RUN apt-get install -y curl'], []],
    ['a blank line between', ['# hadolint ignore=DL3015', '', 'RUN apt-get install -y curl'], ['DF002@4']],
    ['another comment between', ['# hadolint ignore=DL3015', '# curl', 'RUN apt-get install -y curl'], ['DF002@4']],
    [
      'two pragmas stacked (the lower one counts)',
      ['# hadolint ignore=DL3015', '# hadolint ignore=DL3009', 'RUN apt-get install -y curl'],
      ['DF002@4'],
    ],
    [
      'above a continued RUN',
      ['# hadolint ignore=DL3015', 'RUN apt-get update \\', '  && apt-get install -y curl'],
      [],
    ],
  ])('hadolint ignore= with %s', (_what, lines, expected) => {
    expect(codes(['FROM debian:12', ...lines].join('\n'), rules).filter((c) => c.startsWith('DF002'))).toEqual(
      expected,
    );
  });

  it('honours hadolint stage ignore= for the stage that follows', () => {
    const text = [
      '# hadolint stage ignore=DL3002',
      'FROM debian:12 AS build',
      'USER root',
      'FROM debian:12',
      'USER root',
    ].join('\n');
    expect(codes(text, rules)).toEqual(['DF102@5']);
  });

  // Like ignore=, stage ignore= binds to the FROM on the line right below it, and nothing further.
  it.each([
    ['directly above the FROM', ['# hadolint stage ignore=DL3002', 'FROM debian:12 AS build'], []],
    ['a blank line between', ['# hadolint stage ignore=DL3002', '', 'FROM debian:12 AS build'], ['DF102@4']],
    ['another comment between', ['# hadolint stage ignore=DL3002', '# build', 'FROM debian:12 AS build'], ['DF102@4']],
    [
      'an ARG between (the next line is not a FROM)',
      ['# hadolint stage ignore=DL3002', 'ARG BASE=debian:12', 'FROM $BASE AS build'],
      ['DF102@4'],
    ],
  ])('hadolint stage ignore= with %s', (_what, lines, expected) => {
    const text = [...lines, 'USER root', 'FROM debian:12', 'USER nobody'].join('\n');
    expect(codes(text, rules)).toEqual(expected);
  });

  it('# ballast-ignore keeps its reach: the next instruction, across a blank line', () => {
    // Our own pragma keeps its documented reach: the next instruction, wherever it starts.
    expect(
      codes(['FROM debian:12', '# ballast-ignore DF102', '', 'USER root', 'FROM debian:12'].join('\n'), rules),
    ).toEqual([]);
  });
});

// `# check=` is the builder's parser directive for its checks: it binds the rules declared the same as one of them
// (DF109 = JSONArgsRecommended, DF110 = MaintainerDeprecated), not those only inspired by one (DF230, after
// RedundantTargetPlatform) nor the others.
describe('# check= parser directive', () => {
  let rules: Awaited<ReturnType<typeof loadDockerfileRules>>;
  beforeAll(async () => {
    rules = await loadDockerfileRules(['DF109', 'DF110', 'DF230']);
  });
  const body = ['FROM --platform=$TARGETPLATFORM debian:12', 'MAINTAINER me', 'CMD echo hi'];
  const withSeverity = (text: string, options = {}) =>
    lintText(text, 'Dockerfile', rules, options).findings.map(
      (f) => `${f.code}@${f.location.kind === 'dockerfile' ? f.location.line : 0}:${f.severity}`,
    );
  const all = (at: number) => [`DF230@${at}:warning`, `DF110@${at + 1}:error`, `DF109@${at + 2}:warning`];

  it.each([
    ['no directive', [], all(1)],
    ['skip one', ['# check=skip=JSONArgsRecommended'], ['DF230@2:warning', 'DF110@3:error']],
    ['skip several', ['# check=skip=JSONArgsRecommended,MaintainerDeprecated'], ['DF230@2:warning']],
    ['skip several, spaced', ['#check = skip=JSONArgsRecommended, MaintainerDeprecated'], ['DF230@2:warning']],
    ['skip=all (only the checks: DF230 stays)', ['# check=skip=all'], ['DF230@2:warning']],
    ['error=true', ['# check=error=true'], ['DF230@2:warning', 'DF110@3:error', 'DF109@4:error']],
    ['error=false', ['# check=error=false'], all(2)],
    ['joined', ['# check=skip=MaintainerDeprecated;error=true'], ['DF230@2:warning', 'DF109@4:error']],
    [
      'joined, experimental',
      ['# check=experimental=all; error=true'],
      ['DF230@2:warning', 'DF110@3:error', 'DF109@4:error'],
    ],
    ['directive name in capitals', ['# CHECK=skip=JSONArgsRecommended'], ['DF230@2:warning', 'DF110@3:error']],
    [
      'after another directive',
      ['# syntax=docker/dockerfile:1', '# escape=`', '# check=skip=all'],
      ['DF230@4:warning'],
    ],
    ['check names are case-sensitive', ['# check=skip=jsonargsrecommended'], all(2)],
    ['unknown names, ballast codes and names', ['# check=skip=NoSuchCheck,DF109,shell-form-cmd'], all(2)],
    ['options the builder rejects', ['# check=nonsense;skip;error=yes'], all(2)],
    ['empty', ['# check='], all(2)],
    ['option keys are case-sensitive', ['# check=SKIP=all;Error=true'], all(2)],
    [
      'spaces around option keys and values',
      ['# check= skip = MaintainerDeprecated ; error = true'],
      ['DF230@2:warning', 'DF109@4:error'],
    ],
    ['all among names is a name', ['# check=skip=all,MaintainerDeprecated'], ['DF230@2:warning', 'DF109@4:warning']],
    ['skip=all with error=true', ['# check=skip=all;error=true'], ['DF230@2:warning']],
    ['below a comment: a comment', ['# the app', '# check=skip=all'], all(3)],
    ['below a blank line: a comment', ['', '# check=skip=all'], all(3)],
    // Read so that nothing the builder might report is hidden (README, "Pragmas").
    [
      'skip= twice: only what both name',
      ['# check=skip=JSONArgsRecommended,MaintainerDeprecated;skip=MaintainerDeprecated,NoSuchCheck'],
      ['DF230@2:warning', 'DF109@4:warning'],
    ],
    ['skip= twice, nothing in common', ['# check=skip=JSONArgsRecommended;skip=MaintainerDeprecated'], all(2)],
    [
      'skip=all and skip=NAME: NAME',
      ['# check=skip=all;skip=MaintainerDeprecated'],
      ['DF230@2:warning', 'DF109@4:warning'],
    ],
    [
      'error= twice: true if either is',
      ['# check=error=true;error=false'],
      ['DF230@2:warning', 'DF110@3:error', 'DF109@4:error'],
    ],
    [
      'two # check= lines (the builder refuses the file): neither applies',
      ['# check=skip=all', '# check=error=true'],
      all(3),
    ],
  ])('%s', (_name, top, expected) => {
    expect(withSeverity([...top, ...body].join('\n'))).toEqual(expected);
  });

  it('is a comment below an instruction', () => {
    const text = [body[0], '# check=skip=all;error=true', ...body.slice(1)].join('\n');
    expect(withSeverity(text)).toEqual(['DF230@1:warning', 'DF110@3:error', 'DF109@4:warning']);
  });

  it('skips nothing when inline pragmas are off, yet error=true still applies', () => {
    const text = ['# check=skip=MaintainerDeprecated;error=true', ...body].join('\n');
    expect(withSeverity(text, { pragmas: false })).toEqual(['DF230@2:warning', 'DF110@3:error', 'DF109@4:error']);
  });

  it('does not turn on a rule that is off', () => {
    const text = ['# check=error=true', ...body].join('\n');
    expect(withSeverity(text, { severities: { DF109: 'off' } })).toEqual(['DF230@2:warning', 'DF110@3:error']);
  });
});

// The rules that are the builder's checks under ballast's own names: `# check=skip=` names the check, not the rule.
describe('# check= and the rules named after a build check', () => {
  const codesAt = async (code: string, text: string) =>
    lintText(text, 'Dockerfile', await loadDockerfileRules([code])).findings.map(
      (f) => `${f.code}@${f.location.kind === 'dockerfile' ? f.location.line : 0}`,
    );
  it.each([
    ['DF208', 'DuplicateStageName', ['FROM debian:12 AS build', 'FROM debian:12 AS build']],
    ['DF233', 'MultipleInstructionsDisallowed', ['FROM debian:12', 'CMD ["a"]', 'CMD ["b"]']],
    ['DF234', 'MultipleInstructionsDisallowed', ['FROM debian:12', 'ENTRYPOINT ["a"]', 'ENTRYPOINT ["b"]']],
    ['DF203', 'MultipleInstructionsDisallowed', ['FROM debian:12', 'HEALTHCHECK NONE', 'HEALTHCHECK NONE']],
  ])('%s is skipped by # check=skip=%s', async (code, check, body) => {
    expect(await codesAt(code, body.join('\n'))).toEqual([`${code}@${body.length}`]);
    expect(await codesAt(code, [`# check=skip=${check}`, ...body].join('\n'))).toEqual([]);
    expect(await codesAt(code, ['# check=skip=ReservedStageName', ...body].join('\n'))).toEqual([
      `${code}@${body.length + 1}`,
    ]);
  });
});

describe('severities and stages', () => {
  it('applies configured severities and skips rules set to off', async () => {
    const rules = await loadDockerfileRules(['DF001', 'DF002']);
    const result = lintText('FROM debian:12\nRUN apt-get update && apt-get install -y curl', 'Dockerfile', rules, {
      severities: { DF001: 'error', DF002: 'off' },
    });
    expect(result.findings.map((f) => [f.code, f.severity])).toEqual([['DF001', 'error']]);
  });

  it('fires cache rules only where the cache ships: the final stage, its FROM chain, stages copied whole or at the cache path', async () => {
    const rules = await loadDockerfileRules(['DF001']);
    const text = [
      'FROM debian:12 AS unused',
      'RUN apt-get update',
      'FROM debian:12 AS mounted',
      'RUN apt-get update',
      'FROM debian:12 AS copied',
      'RUN apt-get update',
      'FROM debian:12 AS whole',
      'RUN apt-get update',
      'FROM debian:12 AS lists',
      'RUN apt-get update',
      'FROM debian:12 AS base',
      'RUN apt-get update',
      'FROM base',
      'COPY --from=copied /a /a',
      'COPY --from=whole / /',
      'COPY --from=lists /var/lib/apt /x',
      'RUN --mount=type=bind,from=mounted,target=/m true',
    ].join('\n');
    // A bind mount copies nothing, and COPY --from=copied takes /a, not the lists: lines 2, 4 and 6 do not ship.
    expect(codes(text, rules)).toEqual(['DF001@8', 'DF001@10', 'DF001@12']);
  });
});

describe('the implicit stage (instructions before any FROM)', () => {
  it('lints a snippet with no FROM as a stage that reaches the final image, as hadolint does', async () => {
    const rules = await loadDockerfileRules(['DF006', 'DF010', 'DF201', 'DF226']);
    // Without the implicit stage the cache rules saw no stage and said nothing; DF226 (hadolint DL3061) still reports the order.
    expect(codes('RUN dnf install -y mariadb-10.4', rules)).toEqual(['DF010@1', 'DF226@1']);
    expect(codes('RUN pip2 install MySQL_python', rules)).toEqual(['DF006@1', 'DF226@1']);
    expect(codes('COPY packaged-app.tar /usr/src/app\nRUN tar -xf /usr/src/app/packaged-app.tar', rules)).toEqual([
      'DF201@1',
      'DF226@1',
      'DF226@2',
    ]);
  });

  it('sees ARG/ENV values set in the implicit stage, and keeps global ARGs out of the findings', async () => {
    const rules = await loadDockerfileRules(['DF006', 'DF226']);
    expect(codes('ENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0.0', rules)).toEqual(['DF226@1', 'DF226@2']);
    expect(codes('ARG PY=3\nFROM python:3.12\nRUN pip install --no-cache-dir flask==3.0.0', rules)).toEqual([]);
  });
});

describe('shells and uncertainty', () => {
  it('runs no shell rule on RUNs of a PowerShell SHELL or a Windows base image', async () => {
    // Given a Windows stage (cmd.exe by default), a PowerShell SHELL, and a Linux stage built FROM the first stage's image
    const rules = await loadDockerfileRules(['DF001', 'DF005', 'DF019']);
    const text = [
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win',
      'RUN curl -o app.zip https://example.com/app.zip && apt-get update',
      'SHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\';"]',
      'RUN apk add curl; Invoke-WebRequest -OutFile app.zip https://example.com/app.zip',
      'FROM debian:12',
      'RUN apt-get update',
    ].join('\n');
    // Then only the POSIX stage's RUN is read as a shell script
    expect(codes(text, rules)).toEqual(['DF001@6']);
  });

  it('reads a heredoc RUN with a non-shell shebang as no shell script, one with a shell shebang as one', async () => {
    const rules = await loadDockerfileRules(['DF001']);
    const python =
      'FROM debian:12\nRUN <<EOF\n#!/usr/bin/env python3\nimport os\nos.system("apt-get update")\napt-get update\nEOF';
    const bash = 'FROM debian:12\nRUN <<EOF\n#!/bin/bash\napt-get update\nEOF';
    expect(codes(python, rules)).toEqual([]);
    expect(codes(bash, rules)).toEqual(['DF001@2']);
    // A `#!` after a blank line is no interpreter line (an executable's must be its first bytes): the SHELL reads the
    // script, for which it is a comment.
    const late = 'FROM debian:12\nRUN <<EOF\n\n#!/usr/bin/env python3\napt-get update\nEOF';
    expect(codes(late, rules)).toEqual(['DF001@2']);
  });

  // Review s44 (lintnits): `env python3 <<EOF` is an interpreter fed the heredoc, as `python3 <<EOF` is.
  it('reads a heredoc RUN fed to an interpreter, through env or not, as no shell commands', () => {
    const listCommands = defineRule({
      meta: dockerfileMeta({
        code: 'DF999',
        name: 'test-rule',
        type: 'problem',
        summary: 'Test',
        defaultSeverity: 'info',
        fix: 'none',
        messages: { command: '{{program}}' },
        sources: [],
      }),
      create: (ctx) => ({
        RUN(i) {
          for (const c of ctx.commands(i)) ctx.report({ messageId: 'command', data: { program: c.program }, at: i });
        },
      }),
    });
    const programs = (line: string) =>
      lintText(`FROM python:3.12\n${line}\nprint(1)\nEOF`, 'Dockerfile', [listCommands]).findings.map((f) => f.message);
    expect(programs('RUN python3 <<EOF')).toEqual([]);
    expect(programs('RUN env python3 <<EOF')).toEqual([]);
    expect(programs('RUN /usr/bin/env python3 -u <<EOF')).toEqual([]);
    // Review s44: env's options and assignments before the interpreter.
    expect(programs('RUN env -i python3 <<EOF')).toEqual([]);
    expect(programs('RUN env -u HOME PYTHONPATH=/app /usr/bin/python3 -u <<EOF')).toEqual([]);
    expect(programs('RUN <<EOF env --ignore-environment PATH=/usr/bin node')).toEqual([]);
    expect(programs('RUN cat <<EOF')).toEqual(['cat']);
  });

  it('reports a finding the rule is unsure of at info, whatever severity is configured, with the reason', async () => {
    // Given DF009 (warning by default) configured as error, and a cleanup that runs only inside a condition
    const rules = await loadDockerfileRules(['DF009']);
    const text =
      'FROM centos:7\nRUN yum install -y httpd; if [ -n "$SLIM" ]; then yum clean all; fi\nRUN yum install -y php';
    const findings = lintText(text, 'Dockerfile', rules, { severities: { DF009: 'error' } }).findings;
    // Then the unsure one is info and says why; the sure one keeps the configured severity
    expect(findings.map((f) => [f.location.kind === 'dockerfile' ? f.location.line : 0, f.severity])).toEqual([
      [2, 'info'],
      [3, 'error'],
    ]);
    expect(findings[0].message).toMatch(
      /\(Unsure: this RUN does clean up, but only inside a condition, loop or function, so not on every path\.\)$/,
    );
  });
});

describe('rule contract', () => {
  const make = (fix: 'none' | 'always', messageId: string) =>
    defineRule({
      meta: dockerfileMeta({
        code: 'DF999',
        name: 'test-rule',
        type: 'problem',
        summary: 'Test',
        defaultSeverity: 'info',
        fix,
        messages: { known: 'known {{x}}' },
        sources: [],
      }),
      create: (ctx) => ({
        FROM(i) {
          ctx.report({ messageId, data: { x: 1 }, at: i, fix: { applicability: 'safe', title: 't', edits: [] } });
        },
      }),
    });

  it('rejects an undeclared messageId and a fix from a rule declared fix: none', () => {
    expect(() => lintText('FROM a', 'Dockerfile', [make('always', 'unknown')])).toThrow(/undeclared messageId/);
    expect(() => lintText('FROM a', 'Dockerfile', [make('none', 'known')])).toThrow(/fix: 'none'/);
    expect(lintText('FROM a', 'Dockerfile', [make('always', 'known')]).findings[0].message).toBe('known 1');
  });
});

describe('overlapKey (the literal directory part path rules compare)', () => {
  it.each([
    ['/opt/app', '/opt/app'],
    ['/opt/app/', '/opt/app'],
    ['/opt/app///', '/opt/app'],
    ['/', '/'],
    ['///', '/'],
    ['', '/'],
    ['/opt/*.tgz', '/opt'],
    ['/*', '/'],
    ['/a/b*/c/', '/a/b'],
    ['relative/dir/', 'relative/dir'],
  ])('%j -> %j', (path, key) => {
    expect(overlapKey(path)).toBe(key);
  });

  it('compares paths with and without stars alike', () => {
    expect(pathsOverlap('/opt/app/', '/opt/app/bin')).toBe(true);
    expect(pathsOverlap('/opt/*.tgz', '/opt/x.tgz')).toBe(true);
    expect(pathsOverlap('/opt/app', '/opt/application')).toBe(false);
  });

  it.each([
    ['/', '/opt', true],
    ['/opt/app/bin', '/', true],
    ['/', '/', true],
    ['//', '/etc/passwd', true],
    ['/*', '/opt/x', true], // a star at the root cuts to `/`
    ['/', 'relative/dir', false], // the root holds absolute paths only
    ['relative', '/', false],
  ])('the root overlaps every absolute path: %j and %j -> %j', (a, b, overlap) => {
    expect(pathsOverlap(a, b)).toBe(overlap);
  });
});

describe('rule settings per config', () => {
  const seen: Record<string, unknown>[] = [];
  const rule = defineRule({
    meta: dockerfileMeta({
      code: 'DF998',
      name: 'settings-probe',
      type: 'problem',
      summary: 'Test',
      defaultSeverity: 'info',
      fix: 'none',
      messages: { found: 'found {{limit}}' },
      sources: [],
      defaultOptions: { limit: 1 },
    }),
    create: (ctx) => {
      seen.push(ctx.options);
      return { FROM: (i) => ctx.report({ messageId: 'found', data: { limit: String(ctx.options.limit) }, at: i }) };
    },
  });
  const run = (options: Parameters<typeof lintText>[3]) =>
    lintText('FROM a', 'Dockerfile', [rule], options).findings.map((f) => `${f.severity} ${f.message}`);

  it('works severity and options out once per config, and anew for another config', () => {
    seen.length = 0;
    const config = { severities: { DF998: 'error' as const }, ruleOptions: { DF998: { limit: 5 } } };
    expect(run(config)).toEqual(['error found 5']);
    expect(run(config)).toEqual(['error found 5']);
    // One options object for every file of a config, not a new one per rule per file.
    expect(seen[1]).toBe(seen[0]);
    expect(run({ severities: { DF998: 'warning' }, ruleOptions: { 'settings-probe': { limit: 7 } } })).toEqual([
      'warning found 7',
    ]);
    expect(run({ severities: { DF998: 'off' } })).toEqual([]);
    expect(run({})).toEqual(['info found 1']);
    expect(run({ ruleOptions: config.ruleOptions })).toEqual(['info found 5']);
  });
});

describe('resolvePath fast path (clean absolute paths come back as they are)', () => {
  // The slow path: join, then normalise every time.
  const slow = (path: string, workdir: string): string =>
    `/${normalizePath(path.startsWith('/') ? path : `${workdir}/${path}`)}`;
  it.each([
    ['/app/src', '/'],
    ['/', '/'],
    ['', '/'],
    ['', '/app'],
    ['.', '/app'],
    ['..', '/app'],
    ['../..', '/app'],
    ['src', '/'],
    ['src', '/app'],
    ['src', '/app/'],
    ['src/', '/app'],
    ['./src', '/app'],
    ['src/.', '/app'],
    ['src/..', '/app'],
    ['/app//src', '/'],
    ['//app', '/'],
    ['/app/./src', '/'],
    ['/app/../src', '/'],
    ['/app/..', '/'],
    ['/app/.', '/'],
    ['/app/.hidden', '/'],
    ['/app/..hidden', '/'],
    ['/app/x.', '/'],
    ['/app/x..', '/'],
    ['/app/...', '/'],
    ['/app/src/', '/'],
    ['/opt/*.tgz', '/'],
    ['$HOME/x', '/'],
    ['src', ''],
    ['src', 'rel'],
    ['src', 'rel/'],
    ['src', '/a/../b'],
    ['src', '/a/.'],
    ['C:\\app', '/'],
  ])('%j in %j', (path, workdir) => {
    expect(resolvePath(path, workdir)).toBe(slow(path, workdir));
  });
});

describe('a parse given by the caller', () => {
  it('is linted as the text would be, and refused for other text (a fix pass edited it since)', async () => {
    const rules = await loadDockerfileRules();
    const text = 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nCOPY . .\n';
    const tree = parseDockerfile(text, 'Dockerfile');
    const given = { parsed: tree, stages: analyzeStages(tree) };
    expect(codes(text, rules, { parsed: given })).toEqual(codes(text, rules));
    expect(() => lintText(`${text}USER app\n`, 'Dockerfile', rules, { parsed: given })).toThrow(/parse of other text/);
    expect(() => lintText(text, 'other.Dockerfile', rules, { parsed: given })).toThrow(/parse of other text/);
  });

  it("asks ShellCheck about the parse's scripts when they come with it, rather than working them out again", () => {
    const text = 'FROM debian:12\nRUN echo $A\nONBUILD RUN cd /x\n';
    const tree = parseDockerfile(text, 'Dockerfile');
    const stages = analyzeStages(tree);
    const scripts = shellScripts(tree, stages);
    const asked: ShellScript[][] = [];
    const shellcheck = (sent: ShellScript[]) => {
      asked.push(sent);
      return [];
    };
    lintText(text, 'Dockerfile', [], { parsed: { parsed: tree, stages, scripts }, shellcheck });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toBe(scripts);
    // Without them, the same scripts, worked out by the lint.
    lintText(text, 'Dockerfile', [], { parsed: { parsed: tree, stages }, shellcheck });
    expect(asked[1]).not.toBe(scripts);
    expect(asked[1]).toEqual(scripts);
  });
});
