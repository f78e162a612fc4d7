import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { analyzeStages, binShAt, earlierInChain, substitute } from '../../src/dockerfile/stages.js';

describe('analyzeStages', () => {
  it('walks a chain of 20,000 stages, each FROM the one before, without running out of stack', () => {
    const lines = ['FROM alpine:3.20 AS s0'];
    for (let i = 1; i < 20_000; i++) lines.push(`FROM s${i - 1} AS s${i}`);
    const model = analyzeStages(parseDockerfile(lines.join('\n'), 'Dockerfile'));
    expect(model.reachesFinal.every(Boolean)).toBe(true);
    expect(model.baseStage[19_999]).toBe(19_998);
  });

  it('walks a stage of 200,000 COPY --from lines without overflowing the call stack', () => {
    const lines = [
      'FROM alpine:3.20 AS a',
      'FROM alpine:3.20',
      ...Array.from({ length: 200_000 }, () => 'COPY --from=a /x /x'),
    ];
    const model = analyzeStages(parseDockerfile(lines.join('\n'), 'Dockerfile'));
    expect(model.reachesFinal).toEqual([true, true]);
  });

  it('knows which stages reach the final image and which are used later', () => {
    // Given stages used as a base, through COPY --from (name and index), RUN --mount from=, and one unused
    const parsed = parseDockerfile(
      [
        'FROM alpine:3.20 AS base', // 0
        'FROM base AS deps', // 1: built FROM base
        'FROM alpine:3.20 AS unused', // 2
        'FROM alpine:3.20 AS assets', // 3: mounted
        'FROM golang:1.22', // 4: copied by index
        'FROM deps', // 5: final
        'COPY --from=4 /out /out',
        'RUN --mount=type=bind,from=assets,target=/a cp -r /a /srv',
      ].join('\n'),
      'Dockerfile',
    );
    const model = analyzeStages(parsed);
    expect(model.baseStage).toEqual([undefined, 0, undefined, undefined, undefined, 1]);
    expect(model.reachesFinal).toEqual([true, true, false, true, true, true]);
    expect(model.usedLater).toEqual([true, true, false, true, true, false]);
    expect(model.stageByRef('ASSETS')).toBe(3);
    expect(model.stageByRef('7')).toBeUndefined();
    // What ships: the FROM chain whole, stage 4 only at /out, the bind-mounted stage nothing (no source= given)
    expect(model.shipped).toEqual(['all', 'all', [], [], ['/out'], 'all']);
  });

  it('follows what ships through whole copies, partial copies of partial stages, and bind-mount sources', () => {
    const parsed = parseDockerfile(
      [
        'FROM alpine:3.20 AS a', // 0: copied whole by b
        'FROM alpine:3.20 AS b', // 1: /opt/app taken by the final stage
        'COPY --from=a / /',
        'FROM alpine:3.20 AS c', // 2: bind-mounted with source=/dist
        'FROM alpine:3.20 AS d', // 3: copied with relative and variable paths
        'FROM scratch',
        'ARG WHERE',
        'COPY --from=b /opt/app ./relative /app/',
        'COPY --from=d $WHERE /x',
        'RUN --mount=type=bind,from=c,source=/dist,target=/m cp -r /m /srv',
      ].join('\n'),
      'Dockerfile',
    );
    const model = analyzeStages(parsed);
    // A whole copy into a partially shipped stage ships only that stage's paths; an unresolved variable counts as all.
    expect(model.shipped).toEqual([['/opt/app', '/relative'], ['/opt/app', '/relative'], ['/dist'], 'all', 'all']);
  });

  it('tells POSIX RUNs from PowerShell/cmd ones: SHELL, Windows bases, stages built on them', () => {
    const parsed = parseDockerfile(
      [
        'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win', // 0
        'RUN dir', // 1
        'FROM debian:12 AS linux', // 2
        'RUN ls', // 3
        'SHELL ["pwsh", "-Command"]', // 4
        'RUN Get-ChildItem', // 5
        'SHELL ["/bin/bash", "-c"]', // 6
        'RUN ls', // 7
        'FROM win', // 8
        'RUN dir', // 9
      ].join('\n'),
      'Dockerfile',
    );
    expect(analyzeStages(parsed).posixShell).toEqual([
      false,
      false,
      true,
      true,
      false,
      false,
      true,
      true,
      false,
      false,
    ]);
  });

  it('tells the stages whose /bin/sh is BusyBox ash: Alpine and busybox images, global ARGs read, FROM <stage> kept', () => {
    const parsed = parseDockerfile(
      [
        'ARG BASE=alpine:3.20',
        'ARG TAG=8.3-fpm-alpine3.19',
        'FROM ${BASE} AS a',
        'FROM php:${TAG} AS b',
        'FROM busybox:1.36 AS c',
        'FROM debian:12 AS d',
        'FROM a AS e',
        'FROM d',
      ].join('\n'),
      'Dockerfile',
    );
    expect(analyzeStages(parsed).binSh).toEqual(['ash', 'ash', 'ash', 'dash', 'ash', 'dash']);
  });

  it("binShAt reads a stage's /bin/sh, and dash for the implicit stage before any FROM", () => {
    const model = analyzeStages(parseDockerfile('RUN true\nFROM alpine:3.20 AS a\nFROM fedora:40\n', 'Dockerfile'));
    expect([-1, 0, 1].map((stage) => binShAt(model, stage))).toEqual(['dash', 'ash', 'bash']);
  });

  // These images' /bin/sh is bash (it was read as dash): Fedora, Red Hat's (by the version in the repository), its
  // rebuilds and Amazon Linux; FROM <stage> keeps it. Names that only contain such a word are not.
  it.each([
    ['fedora:40', 'bash'],
    ['registry.fedoraproject.org/fedora-minimal:40', 'bash'],
    ['registry.access.redhat.com/ubi9/ubi-minimal:9.4', 'bash'],
    ['registry.access.redhat.com/ubi8/python-39', 'bash'],
    ['quay.io/centos/centos:stream9', 'bash'],
    ['rockylinux:9', 'bash'],
    ['almalinux:9-minimal', 'bash'],
    ['oraclelinux:9-slim', 'bash'],
    ['amazonlinux:2023', 'bash'],
    ['debian:12', 'dash'],
    ['myfedora-tools:1', 'dash'],
    ['python:3.12-alpine', 'ash'],
  ])('reads the /bin/sh of %s as %s', (image, binSh) => {
    const parsed = parseDockerfile(`FROM ${image} AS a\nFROM a\n`, 'Dockerfile');
    expect(analyzeStages(parsed).binSh).toEqual([binSh, binSh]);
  });

  it('resolves ARG and ENV per stage: globals only through a redeclared ARG, ENV inherited through FROM <stage>', () => {
    const parsed = parseDockerfile(
      [
        'ARG VERSION=1.2 BASE=alpine',
        'FROM ${BASE}:3.20 AS one',
        'ENV APP_HOME=/srv/app PATH=$APP_HOME/bin',
        'ARG VERSION',
        'RUN echo one',
        'FROM one',
        'RUN echo two',
        'FROM alpine:3.20',
        'RUN echo three',
      ].join('\n'),
      'Dockerfile',
    );
    const model = analyzeStages(parsed);
    const at = (line: number) => model.variablesAt[parsed.instructions.find((i) => i.line === line)!.index];
    expect(model.globalArgs).toEqual({ VERSION: '1.2', BASE: 'alpine' });
    expect(parsed.stages[0].baseImage).toBe('${BASE}:3.20');
    expect(at(5)).toEqual({ APP_HOME: '/srv/app', PATH: '/srv/app/bin', VERSION: '1.2' });
    expect(at(7)).toMatchObject({ APP_HOME: '/srv/app' });
    expect(at(9)).toEqual({});
  });

  it('reads quoted ARG and ENV values as the builder does: without their quotes, spaces kept in one value', () => {
    // Given `ARG TAG="12"`: the model held `"12"` (so FROM debian:${TAG} read as debian:"12"), and `ENV A="b c"` was
    // split at the space into `A="b` and a name `c"`
    const parsed = parseDockerfile(
      ['ARG TAG="12" NAME=\'deb ian\'', 'FROM debian:${TAG}', 'ENV A="b c" B=x"y z"w', 'ENV C "d e"', 'RUN true'].join(
        '\n',
      ),
      'Dockerfile',
    );
    const model = analyzeStages(parsed);
    expect(model.globalArgs).toEqual({ TAG: '12', NAME: 'deb ian' });
    expect(model.variablesAt[parsed.instructions.at(-1)!.index]).toEqual({ A: 'b c', B: 'xy zw', C: 'd e' });
  });

  it('expands ARG and ENV values by the shell-word rules: nothing in single quotes, escapes in and out of double quotes', () => {
    // Given single-quoted `$B` (the model expanded it to `b`), `\"` inside double quotes (the model kept the `\`), an
    // escaped dollar in and out of double quotes, and a `\` before an ordinary character inside double quotes (kept)
    const parsed = parseDockerfile(
      [
        'FROM alpine:3.20',
        'ARG B=b',
        'ENV A=\'$B\' Q="say \\"hi\\"" D="\\$B" E=\\$B F="a\\nb" G="$B"\'$B\' H=x\\ y',
        'ENV L \'$B\' "$B"',
        'RUN true',
      ].join('\n'),
      'Dockerfile',
    );
    const model = analyzeStages(parsed);
    expect(model.variablesAt[parsed.instructions.at(-1)!.index]).toEqual({
      B: 'b',
      A: '$B',
      Q: 'say "hi"',
      D: '$B',
      E: '$B',
      F: 'a\\nb',
      G: 'b$B',
      H: 'x y',
      L: '$B b',
    });
  });

  // BuildKit's lexer reads a `${VAR:-word}` word with the Dockerfile's escape character: it makes the next character
  // literal and is dropped (`${A:-\$B}` is `$B`); under `# escape=`` a backslash is a plain character.
  it.each([
    ['\\', 'P=${A:-\\$B}', '$B'],
    ['\\', 'P="${A:-\\$B}"', '$B'],
    ['\\', 'P=${A:-\\\\$B}', '\\b'],
    ['\\', 'P=${A:-x\\}y}', 'x}y'],
    ['\\', 'P=${B:+\\$B}', '$B'],
    ['\\', 'P=${A:-${C:-\\$B}}', '$B'],
    ['\\', 'P=${A:-$B\\$B}', 'b$B'],
    ['`', 'P=${A:-`$B}', '$B'],
    ['`', 'P=${A:-\\$B}', '\\b'],
    ['`', 'P=${A:-x`}y}', 'x}y'],
    // The word's quotes are read by the word rules too (BuildKit's processStopOn): removed, `$` expanding in `"…"` and
    // not in `'…'`, and in `"…"` the escape character escapes only `"`, `$` and itself.
    ['\\', 'P=${A:-"x y"}', 'x y'],
    ['\\', "P=${A:-'x y'}", 'x y'],
    ['\\', 'P=${A:-"$B c"}', 'b c'],
    ['\\', "P=${A:-'$B'}", '$B'],
    ['\\', 'P=${A:-x"\\$B"\\q"\\q"}', 'x$Bq\\q'],
    ['\\', 'P=${B:+"[$B]"}', '[b]'],
    ['\\', 'P=${A:-${C:-"x y"}}', 'x y'],
    ['\\', 'P=${A:-"it\'s"}', "it's"],
    ['`', 'P=${A:-"x`"y"}', 'x"y'],
    ['`', "P=${A:-'x`y'}", 'x`y'],
    // A `}` in the word's quotes ends nothing: each word starts its own quoting, even inside double quotes.
    ['\\', 'P=${A:-"x}y"}', 'x}y'],
    ['\\', "P=${A:-'x}y'}", 'x}y'],
    ['\\', 'P="${A:-\'x}y\'}"', 'x}y'],
    ['\\', 'P="${A:-"x}y"}"', 'x}y'],
    ['\\', 'P=${A:-"a\\"}"}', 'a"}'],
    ['\\', 'P=${A:-${C:-"x}"}y}', 'x}y'],
    ['\\', 'P=${B:+"[$B}"}', '[b}'],
    ['`', 'P=${A:-"x`"}y"}', 'x"}y'],
  ])('with escape %s, ENV %s sets P to %s', (escape, env, value) => {
    const parsed = parseDockerfile(
      [`# escape=${escape}`, 'FROM alpine:3.20', 'ARG B=b', `ENV ${env}`, 'RUN true'].join('\n'),
      'Dockerfile',
    );
    expect(analyzeStages(parsed).variablesAt[parsed.instructions.at(-1)!.index].P).toBe(value);
  });

  it('keeps a reference it cannot resolve inside a default word as written, escapes and all', () => {
    const parsed = parseDockerfile(
      ['FROM alpine:3.20', 'ENV P=${A:-${C:?no\\$C}}', 'RUN true'].join('\n'),
      'Dockerfile',
    );
    expect(analyzeStages(parsed).variablesAt[parsed.instructions.at(-1)!.index].P).toBe('${C:?no\\$C}');
  });

  it('substitutes ${VAR:-default}, ${VAR:+alt} and leaves unknown variables as written', () => {
    const vars = { A: 'a', EMPTY: '' };
    expect(substitute('$A ${A} ${B:-b} ${EMPTY:-e} ${EMPTY-e} ${A:+x} ${B:+x}|$UNKNOWN', vars)).toBe(
      'a a b e  x |$UNKNOWN',
    );
  });

  it('expands the word of ${VAR:-word} and ${VAR:+word} with the same variables, as BuildKit does', () => {
    const vars = { A: 'a', B: '/opt', EMPTY: '' };
    expect(substitute('${UNSET:-$B/x} ${EMPTY:-${B}/y} ${A:+$B/z} ${UNSET-$A}', vars)).toBe('/opt/x /opt/y /opt/z a');
  });

  it('ends a reference at the brace that closes it, not at the first one', () => {
    const vars = { B: '/opt' };
    expect(substitute('${A:-${B}}/bin', vars)).toBe('/opt/bin');
    expect(substitute('${A:-${C:-${B}}}!', vars)).toBe('/opt!');
    expect(substitute('${A:+${B}}.', vars)).toBe('.');
  });

  it('gives the value of ${VAR:?message} and ${VAR?message} when VAR is set, and leaves them as written when not', () => {
    const vars = { A: 'a', EMPTY: '' };
    expect(substitute('${A:?need A} ${A?need A} ${EMPTY?x}|', vars)).toBe('a a |');
    expect(substitute('${EMPTY:?need it} ${UNSET?need it}', vars)).toBe('${EMPTY:?need it} ${UNSET?need it}');
  });

  it('reads the same nested and ?-references in ARG and ENV values', () => {
    const parsed = parseDockerfile(
      ['FROM alpine:3.20', 'ARG B=/opt', 'ENV P=${A:-${B}}/bin Q=${B:?need_B} R=${A:-$B/x}', 'RUN true'].join('\n'),
      'Dockerfile',
    );
    const vars = analyzeStages(parsed).variablesAt[parsed.instructions.at(-1)!.index];
    expect([vars.P, vars.Q, vars.R]).toEqual(['/opt/bin', '/opt', '/opt/x']);
  });

  it('keeps an escaped `\\$` literal: no expansion', () => {
    expect(substitute('\\$A $A', { A: 'a' })).toBe('\\$A a');
  });

  // In RUN text the shell reads the backslashes: an even run escapes only itself, so the `$` after it still expands.
  it.each([
    ['\\$A', '\\$A'],
    ['\\\\$A', '\\\\a'],
    ['\\\\\\$A', '\\\\\\$A'],
    ['\\\\\\\\${A}/x', '\\\\\\\\a/x'],
    ['x\\\\$A \\$A $A', 'x\\\\a \\$A a'],
  ])('in RUN text reads %s as %s', (text, expanded) => {
    expect(substitute(text, { A: 'a' })).toBe(expanded);
  });

  // The shell skips a `${VAR:-word}` word's double quotes when it looks for the closing brace (every shell nests them),
  // but its single quotes only where the reference is not in double quotes (in `"${A:-it's}"` the `'` is a character to
  // /bin/sh: dash, ash, bash --posix). Which references are in double quotes is not followed in RUN text, so there a
  // word's single quotes are characters: `${U:-'x}y'}` ends at the first `}`, as it did before.
  it.each([
    ['${U:-"x}y"}!', '"x}y"!'],
    ['echo "${U:-"x}y"}"', 'echo ""x}y""'],
    ['${A:+"x}y"}', '"x}y"'],
    ['${U:-"a\\"}"}', '"a\\"}"'],
    ['echo "${U:-it\'s done}"', 'echo "it\'s done"'],
    ['echo "${U:-\'x}y\'}"', 'echo "\'xy\'}"'],
    ["${U:-'a\\'}x", "'a\\'x"],
    ["it's ${A}", "it's a"],
  ])('in RUN text reads %s as %s', (text, expanded) => {
    expect(substitute(text, { A: 'a' })).toBe(expanded);
  });
});

describe('earlierInChain', () => {
  /** The lines of the instructions before line `line` in its FROM chain, walked in `order`. */
  const before = (lines: string[], line: number, order: 'newest-first' | 'oldest-first'): number[] => {
    const parsed = parseDockerfile(lines.join('\n'), 'Dockerfile');
    const ctx = { parsed, stages: analyzeStages(parsed) };
    const at = parsed.instructions.find((i) => i.line === line)!;
    return [...earlierInChain(ctx, at, order)].map((i) => i.line);
  };

  it('walks the stage and the stages it is built FROM, skipping the others, either way', () => {
    const lines = [
      'ARG BASE=alpine:3.20', // 1: global, in no stage
      'FROM $BASE AS base', // 2
      'USER a', // 3
      'FROM alpine:3.20 AS other', // 4: not in the chain
      'USER b', // 5
      'FROM base AS middle', // 6
      'USER c', // 7
      'FROM middle', // 8
      'RUN id', // 9
      'RUN whoami', // 10
    ];
    expect(before(lines, 10, 'newest-first')).toEqual([9, 8, 7, 6, 3, 2]);
    expect(before(lines, 10, 'oldest-first')).toEqual([2, 3, 6, 7, 8, 9]);
    // A stage's own FROM has nothing before it in that stage, only its base's instructions
    expect(before(lines, 6, 'newest-first')).toEqual([3, 2]);
    expect(before(lines, 2, 'oldest-first')).toEqual([]);
  });

  it('stops at a stage named like an image, and never follows a FROM to its own stage', () => {
    const lines = [
      'FROM node:20 AS node', // 1: the image node:20, though named node
      'RUN one', // 2
      'FROM node AS node', // 3: the first stage (FROM names an earlier stage), not itself
      'RUN two', // 4
      'FROM build AS build', // 5: no earlier stage is build: the image build
      'RUN three', // 6
    ];
    expect(before(lines, 4, 'newest-first')).toEqual([3, 2, 1]);
    expect(before(lines, 4, 'oldest-first')).toEqual([1, 2, 3]);
    expect(before(lines, 6, 'newest-first')).toEqual([5]);
    expect(before(lines, 6, 'oldest-first')).toEqual([5]);
  });

  it('walks the implicit stage of a file with no FROM', () => {
    expect(before(['USER app', 'ENV A=1', 'RUN id'], 3, 'newest-first')).toEqual([2, 1]);
    expect(before(['USER app', 'ENV A=1', 'RUN id'], 3, 'oldest-first')).toEqual([1, 2]);
  });
});
