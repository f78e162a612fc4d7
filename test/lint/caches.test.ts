import { parseShell, type ShellCommand } from '../../src/dockerfile/shell.js';
import { cleanCommand, leftBehind, mountTarget } from '../../src/lint/caches.js';
import { defineRule, dockerfileMeta, removesPath, resolvePath, scriptOf } from '../../src/lint/helpers.js';
import { lintWithRule } from '../../src/lint/rule-tester.js';

const exportsCache = (c: ShellCommand): boolean => c.program === 'export' && c.args.some((a) => a.startsWith('C='));

/** Per place (and the end): the program of the `cd` in effect there and of the export in effect there, `-` for none. */
function effects(script: string): string[] {
  const list = parseShell(script);
  const read = scriptOf(list, exportsCache);
  return read.cdBefore.map((cd, i) => `${cd < 0 ? '-' : list[cd].args[0]} ${read.exporterBefore[i]?.args[0] ?? '-'}`);
}

describe('scriptOf', () => {
  it.each([
    ['no cd, no export', 'a && b', ['- -', '- -', '- -']],
    ['a cd holds for every later place and the end', 'a && cd x && b && cd y', ['- -', '- -', 'x -', 'x -', 'y -']],
    [
      'the last export of the variable before a place',
      'export C=1 && a && export D=2 && export C=3 && b',
      ['- -', '- C=1', '- C=1', '- C=1', '- C=3', '- C=3'],
    ],
    [
      'a cd in a subshell ends with it, one in a group persists',
      '(cd x && a) && b && { cd y; } && c',
      ['- -', 'x -', '- -', '- -', 'y -', 'y -'],
    ],
    ['an export in a subshell ends with it', '(export C=1; a); b', ['- -', '- C=1', '- -', '- -']],
    [
      'nested subshells each end with their own cd',
      '(cd x; (cd y; a); b); c',
      ['- -', 'x -', 'y -', 'x -', '- -', '- -'],
    ],
    ['a subshell after another starts from the script', '(cd x); (a)', ['- -', '- -', '- -']],
    ['a sh -c script is a child shell: its cd ends with it', "sh -c 'cd x; a'; b", ['- -', '- -', 'x -', '- -', '- -']],
  ])('%s', (_name, script, expected) => {
    expect(effects(script)).toEqual(expected);
  });
});

describe('mountTarget', () => {
  it.each([
    ['/root/.npm', '/root/.npm'],
    ['~/.cache/pip', '<home>/.cache/pip'],
    ['~', '<home>'],
    ['./.npm', '<cache directory>'],
    ['.cache', '<cache directory>'],
    ['$C/pip', '<cache directory>'],
    ['/srv/$C', '<cache directory>'],
  ])('%s -> %s', (cache, target) => {
    expect(mountTarget(cache)).toBe(target);
  });
});

// A tool whose `tool get` fills the cache `--cache DIR` names (relative from / unless a `cd` came first), else the
// exported C, else /root/.tool; `tool clean` empties the cache it uses, `rm -rf` the directory it names.
const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF999',
    name: 'test-cache',
    type: 'size',
    summary: 'test',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: { left: '{{cache}} {{status}} {{target}}' },
    sources: [],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        const list = ctx.commands(instruction);
        const script = scriptOf(list, exportsCache);
        const cacheOf = (c: ShellCommand): string => {
          const i = script.at.get(c)!;
          const flag = c.args.indexOf('--cache');
          const dir = flag >= 0 ? c.args[flag + 1] : (script.exporterBefore[i]?.args[0].slice(2) ?? '/root/.tool');
          return dir.startsWith('/') || script.cdBefore[i] >= 0 ? dir : resolvePath(dir, '/');
        };
        for (const l of leftBehind(
          ctx,
          instruction,
          script,
          list.filter((c) => c.args[0] === 'get'),
          {
            cacheOf,
            mounted: (cache) => ctx.hasCacheMount(instruction, cache),
            cleans: (c, cache) =>
              c.args[0] === 'clean' ? cacheOf(c) === cache : c.program === 'rm' && removesPath(c, [cache]),
            shipping: (cache) => (cache.startsWith('/') ? [cache] : undefined),
          },
        ))
          ctx.report({
            messageId: 'left',
            data: { cache: l.cache, status: l.status, target: mountTarget(l.cache) },
            at: instruction,
          });
      },
    };
  },
});

const left = (code: string): string[] => lintWithRule(rule, { code }).map((f) => f.message);

describe('leftBehind', () => {
  it.each([
    ['a cache no command empties', 'RUN tool get', ['/root/.tool never /root/.tool']],
    ['a cache emptied after its installs', 'RUN tool get && tool get && tool clean', []],
    [
      'emptied on some paths only',
      'RUN tool get && if [ -f x ]; then tool clean; fi',
      ['/root/.tool maybe /root/.tool'],
    ],
    ['a cache emptied before the install', 'RUN rm -rf /root/.tool && tool get', ['/root/.tool never /root/.tool']],
    [
      'installs taken together by cache, each emptied by its own clean',
      'RUN tool get --cache /a && export C=/b && tool get && tool clean && tool get --cache /c',
      ['/a never /a', '/c never /c'],
    ],
    ['a mounted cache', 'RUN --mount=type=cache,target=/root/.tool tool get', []],
    [
      'a relative cache after a cd, anywhere in the stage',
      'RUN cd x && tool get --cache c',
      ['c never <cache directory>'],
    ],
    ['a cache the stage does not ship', 'FROM a AS b\nRUN tool get\nFROM c\nCOPY --from=b /out /out', []],
  ])('%s', (_name, code, expected) => {
    expect(left(code.startsWith('FROM') ? code : `FROM a\n${code}`)).toEqual(expected);
  });
});

describe('cleanCommand', () => {
  // `tool get` filled `cache` (`literal` when the shell left its `$` as written); `atEnd` is the cache `tool clean` uses
  // appended to the script.
  it.each([
    ['the cache the tool uses at the end', 'tool get', '/root/.tool', '/root/.tool', false, ['tool clean', false]],
    ['another absolute cache', 'tool get', '/a', '/root/.tool', false, ['tool clean --cache /a', false]],
    [
      'one under an unknown home, `~/` left bare',
      'tool get',
      '~/a b',
      '~/.tool',
      false,
      ["tool clean --cache ~/'a b'", false],
    ],
    [
      'a `$` the shell expands, in double quotes',
      'tool get',
      '$C/a',
      '~/.tool',
      false,
      ['tool clean --cache "$C/a"', false],
    ],
    ['... after `~/`', 'tool get', '~/$C', '~/.tool', false, ['tool clean --cache ~/"$C"', false]],
    ['... with `"` escaped', 'tool get', '$C/"', '~/.tool', false, ['tool clean --cache "$C/\\""', false]],
    [
      'a `$` the tool took as written, in single quotes',
      'tool get',
      '/app/$C',
      '~/.tool',
      true,
      ["tool clean --cache '/app/$C'", false],
    ],
    [
      'a variable set again after the install',
      'tool get && C=1',
      '$C',
      '~/.tool',
      false,
      ['tool clean --cache "$C"', 'set'],
    ],
    ['... exported again', 'tool get && export C=1', '$C', '$C', false, ['tool clean --cache "$C"', 'set']],
    ['... set in a subshell that ended', '(C=1; tool get)', '$C', '~/.tool', false, ['tool clean --cache "$C"', 'set']],
    ['... set before the install', 'C=1 && tool get', '$C', '~/.tool', false, ['tool clean --cache "$C"', false]],
    [
      'HOME set again, for a cache under an unknown home',
      'tool get && export HOME=/x',
      '~/.tool',
      '~/.tool',
      false,
      ['tool clean --cache ~/.tool', 'set'],
    ],
    [
      'a relative `$` word after a `cd` ended',
      '(cd x && tool get)',
      '$C',
      '~/.tool',
      false,
      ['tool clean --cache "$C"', 'cd'],
    ],
    [
      'a cache a `cd` placed, that `cd` still in effect',
      'cd x && tool get',
      './c',
      './c',
      false,
      ['tool clean', false],
    ],
    ['... after it ended', '(cd x && tool get)', './c', './c', false, ['tool clean --cache c', 'cd']],
  ])('%s', (_name, code, cache, atEnd, literal, [command, elsewhere]) => {
    const list = parseShell(code);
    const script = scriptOf(list, () => false);
    const install = list.find((c) => c.args[0] === 'get')!;
    expect(cleanCommand(script, install, cache, atEnd, 'tool clean', '--cache', literal)).toEqual({
      command,
      elsewhere,
    });
  });
});
