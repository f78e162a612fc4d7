import { parseDockerfile, splitWords } from '../../src/dockerfile/parse.js';
import { substitute } from '../../src/dockerfile/stages.js';

describe('parseDockerfile', () => {
  it('gives instructions with keyword, raw args, 1-based lines, stage index and flags', () => {
    // Given a two-stage file with a global ARG, flags, a continuation with a comment and a heredoc
    const text = [
      '# syntax=docker/dockerfile:1',
      'ARG BASE=debian:12',
      'FROM --platform=$BUILDPLATFORM golang:1.22 AS Build',
      'RUN --mount=type=cache,target=/root/.cache/go-build go build \\',
      '  # a comment inside the continuation',
      '  -o /out/app .',
      'FROM ${BASE}',
      'COPY --from=build --chmod=644 /out/app /app',
      'RUN <<EOF',
      'apt-get update',
      'rm -rf /var/lib/apt/lists/*',
      'EOF',
      'CMD ["/app"]',
    ].join('\n');
    // When it is parsed
    const parsed = parseDockerfile(text, 'Dockerfile');
    // Then instructions carry what rules and the analyzer need
    expect(parsed.instructions.map((i) => [i.keyword, i.line, i.endLine, i.stageIndex])).toEqual([
      ['ARG', 2, 2, -1],
      ['FROM', 3, 3, 0],
      ['RUN', 4, 6, 0],
      ['FROM', 7, 7, 1],
      ['COPY', 8, 8, 1],
      ['RUN', 9, 12, 1],
      ['CMD', 13, 13, 1],
    ]);
    const [, from, run, , copy, heredocRun, cmd] = parsed.instructions;
    expect(from.flags).toEqual({ platform: '$BUILDPLATFORM' });
    expect(run.flagList[0].options).toEqual({ type: 'cache', target: '/root/.cache/go-build' });
    expect(run.shellText).toBe('go build   -o /out/app .');
    expect(copy.flags).toEqual({ from: 'build', chmod: '644' });
    expect(copy.args).toBe('/out/app /app');
    expect(heredocRun.heredocs).toEqual([
      { name: 'EOF', body: 'apt-get update\nrm -rf /var/lib/apt/lists/*', line: 10, terminated: true },
    ]);
    expect(heredocRun.shellText).toBe('apt-get update\nrm -rf /var/lib/apt/lists/*');
    expect(cmd.form).toBe('exec');
    expect(cmd.execArgs).toEqual(['/app']);
    // And stages are in order, the final stage last, names lower-cased
    expect(parsed.stages).toEqual([
      {
        index: 0,
        name: 'build',
        baseImage: 'golang:1.22',
        line: 3,
        platform: '$BUILDPLATFORM',
        firstInstruction: 1,
        lastInstruction: 2,
      },
      {
        index: 1,
        name: undefined,
        baseImage: '${BASE}',
        line: 7,
        platform: undefined,
        firstInstruction: 3,
        lastInstruction: 6,
      },
    ]);
  });

  it.each([
    ['\\', 'FROM debian:12 AS \\\n  Build\nFROM \\\n  alpine:3 \\\n  # the runtime\n  AS run'],
    ['`', '# escape=`\nFROM debian:12 AS `\n  Build\nFROM `\n  alpine:3 `\n  # the runtime\n  AS run'],
  ])('reads a FROM continued over lines as one (escape %s): its image and stage name', (_, text) => {
    expect(parseDockerfile(text, 'Dockerfile').stages.map((s) => [s.baseImage, s.name])).toEqual([
      ['debian:12', 'build'],
      ['alpine:3', 'run'],
    ]);
  });

  it.each([
    // [instruction, its flags, its arguments]: a lone `--` ends the flags and is dropped, as the builder reads it.
    ['WORKDIR -- /x', [], '/x'],
    ['USER -- 1000', [], '1000'],
    ['COPY -- a /b', [], 'a /b'],
    ['COPY --from=build -- --weird /b', ['from'], '--weird /b'],
    ['COPY -- -- /b', [], '-- /b'],
    ['CMD -- --c x', [], '--c x'],
    ['RUN -- echo hi', [], 'echo hi'],
    ['RUN --network=none -- \\\n  echo hi', ['network'], 'echo hi'],
    ['RUN --\techo hi', [], 'echo hi'],
    ['USER --', [], ''],
    // Not at the start it is an argument.
    ['RUN echo --', [], 'echo --'],
    ['RUN echo -- hi', [], 'echo -- hi'],
  ])('reads %j with the flags %j and the arguments %j', (instruction, flags, args) => {
    const [, parsed] = parseDockerfile(`FROM debian:12\n${instruction}\n`, 'Dockerfile').instructions;
    expect([parsed.flagList.map((f) => f.name), parsed.args]).toEqual([flags, args]);
    if (parsed.keyword === 'RUN') expect(parsed.shellText).toBe(args);
  });

  it('honours the escape directive and CRLF line endings', () => {
    const parsed = parseDockerfile(
      '# escape=`\r\nFROM mcr.microsoft.com/windows\r\nRUN dir `\r\n  c:\\\r\n',
      'Dockerfile',
    );
    expect(parsed.escapeChar).toBe('`');
    expect(parsed.instructions[1].shellText).toBe('dir   c:\\');
    expect(parsed.instructions[1].endLine).toBe(4);
  });

  // (dockerfile-ast's test for the mark is replaced by one that reads the character: see parse.ts)
  it('skips a byte order mark before the directives or the first instruction, and only that character', () => {
    const marked = parseDockerfile('\uFEFF# escape=`\nFROM alpine\nRUN a `\n  b\n', 'Dockerfile');
    expect(marked.escapeChar).toBe('`');
    expect(marked.instructions.map((i) => i.shellText)).toEqual(['alpine', 'a   b']);
    expect(parseDockerfile('\uFEFFFROM alpine\n', 'Dockerfile').instructions[0].keyword).toBe('FROM');
    // U+FFFE and a lone surrogate are not the mark: the first word is an unknown instruction.
    for (const first of ['\uFFFE', '\uD800'])
      expect(parseDockerfile(`${first}FROM alpine\n`, 'Dockerfile').instructions[0].keyword).not.toBe('FROM');
  });

  it('reads `# escape=` and `# check=` below an unknown directive as comments, as the builder does', () => {
    // Given an unknown directive first (the builder takes it for a comment, and stops looking for directives there),
    // when the file is parsed, then the backtick below it is no escape character: the backslash continues the RUN.
    const parsed = parseDockerfile(
      '# foo=bar\n# escape=`\n# check=skip=all\nFROM debian:12\nRUN echo a \\\n  b\n',
      'x',
    );
    expect(parsed.escapeChar).toBe('\\');
    expect(parsed.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN']);
    expect(parsed.instructions[1].shellText).toBe('echo a   b');
    expect(parsed.directives).toEqual([]);
    expect(parsed.comments.map((c) => c.line)).toEqual([1, 2, 3]);
    // Known directives above the unknown one still count.
    const known = parseDockerfile('# escape=`\n# foo=bar\n# check=skip=all\nFROM x\n', 'x');
    expect(known.escapeChar).toBe('`');
    expect(known.directives.map((d) => d.name)).toEqual(['escape']);
  });

  it('lists the empty lines inside a continuation, which shellText leaves out (heredoc bodies aside)', () => {
    const text = [
      'FROM debian:12',
      'RUN a \\',
      '',
      '  b \\',
      '   ',
      '  c',
      '',
      'RUN <<EOF',
      'x',
      '',
      'EOF',
      'RUN d',
    ].join('\n');
    const [, run, heredoc, last] = parseDockerfile(text, 'Dockerfile').instructions;
    expect(run.emptyContinuationLines).toEqual([3, 5]);
    expect(run.shellText).toBe('a   b   c');
    expect(heredoc.emptyContinuationLines).toBeUndefined();
    expect(last.emptyContinuationLines).toBeUndefined();
  });

  it('exposes the trigger of ONBUILD', () => {
    const parsed = parseDockerfile('FROM a\nONBUILD RUN apt-get update\n', 'Dockerfile');
    expect(parsed.instructions[1].trigger?.keyword).toBe('RUN');
    expect(parsed.instructions[1].trigger?.shellText).toBe('apt-get update');
  });

  it('reads one level of ONBUILD trigger only, so a long `ONBUILD ONBUILD ...` chain cannot exhaust the stack', () => {
    const [, nested] = parseDockerfile('FROM a\nONBUILD ONBUILD RUN x\n', 'Dockerfile').instructions;
    expect(nested.trigger?.keyword).toBe('ONBUILD');
    expect(nested.trigger?.trigger).toBeUndefined();
    const chain = parseDockerfile(`FROM alpine\n${'ONBUILD '.repeat(5000)}RUN apt-get install x\n`, 'Dockerfile');
    expect(chain.instructions[1].trigger?.keyword).toBe('ONBUILD');
  });

  it('takes a heredoc fed to a shell (`RUN <<EOF bash`, `RUN sh -e <<EOF`) as the script, not another command', () => {
    const script = (first: string) => {
      const run = parseDockerfile(`FROM debian:12\n${first}\napt-get update\nEOF\n`, 'x').instructions[1];
      return [run.shellText, run.heredocShell];
    };
    expect(script('RUN <<EOF bash')).toEqual(['apt-get update', 'bash']);
    expect(script('RUN bash <<EOF')).toEqual(['apt-get update', 'bash']);
    expect(script('RUN /bin/sh -eux <<EOF')).toEqual(['apt-get update', 'sh']);
    expect(script('RUN <<-EOF bash -o pipefail')).toEqual(['apt-get update', 'bash']);
    expect(script('RUN <<EOF')).toEqual(['apt-get update', undefined]);
    // A delimiter quoted with a backslash (`<<\EOF`, `<<-\EOF`) is a heredoc to the builder as `<<'EOF'` is: its
    // body is the script (the `\` was left over as a command, so the body went unread and ShellCheck saw `<<\EOF`).
    expect(script('RUN <<\\EOF')).toEqual(['apt-get update', undefined]);
    expect(script('RUN <<-\\EOF bash')).toEqual(['apt-get update', 'bash']);
    // Another interpreter, a -c command or a script file: the first line is the command.
    expect(script('RUN python3 <<EOF')).toEqual(['python3 <<EOF', undefined]);
    expect(script('RUN bash -c "cat" <<EOF')).toEqual(['bash -c "cat" <<EOF', undefined]);
    expect(script('RUN bash run.sh <<EOF')).toEqual(['bash run.sh <<EOF', undefined]);
  });

  // Review s45: `RUN env -i bash <<EOF` gave no shell findings: only a shell named alone was taken as fed the heredoc.
  it('takes a heredoc fed to a shell through env (`RUN env -i bash <<EOF`) as the script', () => {
    const script = (first: string) => {
      const run = parseDockerfile(`FROM debian:12\n${first}\napt-get update\nEOF\n`, 'x').instructions[1];
      return [run.shellText, run.heredocShell];
    };
    expect(script('RUN env -i bash <<EOF')).toEqual(['apt-get update', 'bash']);
    expect(script('RUN <<EOF /usr/bin/env sh -e')).toEqual(['apt-get update', 'sh']);
    expect(script('RUN env -i PATH=/usr/bin:/bin -u HOME dash <<EOF')).toEqual(['apt-get update', 'dash']);
    expect(script('RUN env --chdir=/src -- ash <<EOF')).toEqual(['apt-get update', 'ash']);
    // env -S splits its string into the command; another program run by env is no shell.
    expect(script('RUN env -S "bash -e" <<EOF')).toEqual(['env -S "bash -e" <<EOF', undefined]);
    expect(script('RUN env -i python3 <<EOF')).toEqual(['env -i python3 <<EOF', undefined]);
  });

  it('does not throw on an empty or odd file', () => {
    expect(parseDockerfile('', 'x').instructions).toEqual([]);
    expect(parseDockerfile('\\\n\n NOTANINSTRUCTION foo\r', 'x').stages).toEqual([]);
  });
});

describe('splitWords', () => {
  it('removes quotes and the escapes of quotes by the builder word rules', () => {
    expect(splitWords('"say \\"hi\\"" \'a b\' x\\"y "a\\\\b" "c\\d"')).toEqual([
      'say "hi"',
      'a b',
      'x"y',
      'a\\b',
      'c\\d',
    ]);
  });

  it('keeps Windows paths written with the default escape as written', () => {
    expect(splitWords('C:\\app C:\\dir\\')).toEqual(['C:\\app', 'C:\\dir\\']);
  });

  it('marks the dollars the builder takes literally so substitute leaves them alone', () => {
    const vars = { A: 'a' };
    const words = splitWords('$A "$A" \'$A\' \\$A "\\$A"');
    expect(words.map((w) => substitute(w, vars))).toEqual(['a', 'a', '\\$A', '\\$A', '\\$A']);
    // With `# escape=\``, the backtick escapes the dollar.
    expect(splitWords('`$A "`$A"', '`').map((w) => substitute(w, vars))).toEqual(['\\$A', '\\$A']);
  });
});
