import {
  flagNames,
  hasFlag,
  parseShell,
  positionals,
  runDialect,
  runsAfter,
  substitutionScripts,
  type BinSh,
} from '../../src/dockerfile/shell.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { analyzeStages } from '../../src/dockerfile/stages.js';

const summary = (text: string) => parseShell(text).map((c) => [c.program, ...c.args].join(' '));

describe('parseShell', () => {
  it.each([
    ['subshells', (n: number) => `${'('.repeat(n)}echo deep${')'.repeat(n)}`],
    ['groups', (n: number) => `${'{ '.repeat(n)}echo deep;${' }'.repeat(n)}`],
    ['ifs', (n: number) => `${'if true; then '.repeat(n)}echo deep;${' fi;'.repeat(n)}`],
    ['function bodies', (n: number) => `${Array.from({ length: n }, (_, i) => `f${i}() `).join('')}echo deep`],
    ['quoted substitutions', (n: number) => `V=${'"$('.repeat(n)}x${')"'.repeat(n)} && echo deep`],
  ])('reads 20,000 nested %s without running out of stack, and still finds the command inside', (_, script) => {
    expect(summary(script(20_000))).toContain('echo deep');
  });

  it('splits lists, pipes and keeps quoted words whole', () => {
    expect(summary('apt-get update && apt-get install -y "a b" || true; echo \'x;y\'')).toEqual([
      'apt-get update',
      'apt-get install -y a b',
      'true',
      'echo x;y',
    ]);
  });

  it("marks the words whose $ the shell leaves as written, or whose reference's word holds quotes", () => {
    // Their quotes are gone from the words: `'$PKG'` read `$PKG` and was resolved with ARG PKG's value.
    const [command] = parseShell(
      "apt-get install '$A' \\$B \"\\$C\" \"$D\" $E ${U:-'x}y'} ${V:-\"w\"} ${W:-x}'' > '$F'",
    );
    expect(command.args).toEqual(['install', '$A', '$B', '$C', '$D', '$E', '${U:-x}y}', '${V:-w}', '${W:-x}']);
    expect([...(command.literalDollar?.args ?? [])].map((i) => command.args[i])).toEqual([
      '$A',
      '$B',
      '$C',
      '${U:-x}y}',
      '${V:-w}',
    ]);
    expect([...(command.literalDollar?.writes ?? [])].map((i) => command.writes[i])).toEqual(['$F']);
    expect(parseShell('apt-get install "$D" x\'y\'')[0].literalDollar).toBeUndefined();
    // An assignment before the command is read the same way (`X='$A' cmd`).
    const [assigned] = parseShell('X=\'$A\' Y="$B" Z=\\$C cmd');
    expect(assigned.env).toEqual({ X: '$A', Y: '$B', Z: '$C' });
    expect([...(assigned.literalDollar?.env ?? [])].sort()).toEqual(['X', 'Z']);
    const [wrapped] = parseShell("env X='$A' cmd");
    expect([wrapped.env, [...(wrapped.literalDollar?.env ?? [])]]).toEqual([{ X: '$A' }, ['X']]);
  });

  // The words were held by text: a quoted `'$P'` made an unquoted `$P` of the same command literal too.
  it('marks the word written so, not every word with its text', () => {
    const [command] = parseShell("sudo -u app apt-get install '$P' $P > '$F' > $F");
    expect(command.args).toEqual(['install', '$P', '$P']);
    expect([...(command.literalDollar?.args ?? [])]).toEqual([1]);
    expect([...(command.literalDollar?.writes ?? [])]).toEqual([0]);
    // A later assignment of the name, expanded, is what the command sees.
    expect(parseShell("X='$A' X=$A cmd")[0].literalDollar).toBeUndefined();
    // A `$` that env's -S leaves in a word was escaped there: env expands no `$A`.
    const [split] = parseShell("env -S 'npm --cache \\$A ci' $A");
    expect([split.args, [...(split.literalDollar?.args ?? [])]]).toEqual([['--cache', '$A', 'ci', '$A'], [1]]);
  });

  // What a bare `$PKGS` expands to the shell splits into words, not a quoted one's: the words were not told apart.
  it('marks the words written with quotes or a backslash', () => {
    const [command] = parseShell('sudo -u app apt-get install $A "$A" \'b\' c\\ d $A"x" e');
    expect(command.args).toEqual(['install', '$A', '$A', 'b', 'c d', '$Ax', 'e']);
    expect([...(command.quoted ?? [])]).toEqual([2, 3, 4, 5]);
    expect(parseShell('apt-get install $A b')[0].quoted).toBeUndefined();
    // env splits its -S string itself: the shell does not split its words again.
    const [split] = parseShell('env -S \'npm "a b"\' $A');
    expect([split.args, [...(split.quoted ?? [])]]).toEqual([['a b', '$A'], [0]]);
  });

  // `rm -rf "/var/lib/apt/lists/*"` removes nothing (the shell expands no quoted `*`), while `"$D"/*` does expand.
  it('marks the words with a glob character the shell does not expand: quoted or after a backslash', () => {
    const [command] = parseShell(
      `sudo rm -rf "/a/*" '/b/*_*' /c/\\* /d/"*" "/e"/* "/f" /g/* "/h/?" '/i/[ab]' /j/x"y"*`,
    );
    expect(command.args).toEqual([
      '-rf',
      '/a/*',
      '/b/*_*',
      '/c/*',
      '/d/*',
      '/e/*',
      '/f',
      '/g/*',
      '/h/?',
      '/i/[ab]',
      '/j/xy*',
    ]);
    expect([...(command.quotedGlob ?? [])]).toEqual([1, 2, 3, 4, 8, 9]);
    expect(parseShell('rm -rf "/e"/* /g/*')[0].quotedGlob).toBeUndefined();
    // env does not expand the words of its -S string.
    expect([...(parseShell("env -S 'rm -rf /x/*' /y/*")[0].quotedGlob ?? [])]).toEqual([1]);
  });

  it('marks pipes and drops redirections', () => {
    const commands = parseShell('curl -fsSL https://x/install.sh 2>/dev/null | sh -s -- -y > /tmp/log 2>&1');
    expect(commands.map((c) => [c.program, c.args, c.pipesToNext, c.pipedFromPrevious])).toEqual([
      ['curl', ['-fsSL', 'https://x/install.sh'], true, false],
      ['sh', ['-s', '--', '-y'], false, true],
    ]);
  });

  // A redirection's target on the operator's word (`>'/a b'`) was read from the raw text: its quotes stayed in `writes`.
  it("reads a redirection target written on the operator's word without its quotes, and marks a quoted $ in it", () => {
    const [command] = parseShell("echo x >'/etc/apt/apt.conf.d/99 x' 2>>\"/var/log/b\" >'$F' >$G");
    expect(command.writes).toEqual(['/etc/apt/apt.conf.d/99 x', '/var/log/b', '$F', '$G']);
    expect([...(command.literalDollar?.writes ?? [])]).toEqual([2]);
  });

  it('reads `>|` (clobber) as a redirection, not a pipe', () => {
    const commands = parseShell('ls >| /tmp/listing; ls 2>|/tmp/e | wc -l');
    expect(commands.map((c) => [c.program, c.args, c.writes, c.pipesToNext])).toEqual([
      ['ls', [], ['/tmp/listing'], false],
      ['ls', [], ['/tmp/e'], true],
      ['wc', ['-l'], [], false],
    ]);
  });

  it('sees through sudo, env, nice, nohup, command and xargs to the command they run, and records them', () => {
    expect(summary('sudo apt update')).toEqual(['apt update']);
    expect(summary('sudo -E -u app pip install x && sudo -uapp make')).toEqual(['pip install x', 'make']);
    expect(summary('env -u HOME X=1 apt-get install -y curl')).toEqual(['apt-get install -y curl']);
    expect(summary('nice -n 5 nohup /usr/bin/pip3 install x')).toEqual(['pip3 install x']);
    expect(summary('nice -5 -- make')).toEqual(['make']);
    const [wrapped] = parseShell('sudo env X=1 apt-get install curl');
    expect(wrapped).toMatchObject({ program: 'apt-get', wrappers: ['sudo', 'env'], env: { X: '1' } });
    expect(parseShell('xargs command -p apt-get install -y')[0]).toMatchObject({
      program: 'apt-get',
      wrappers: ['xargs', 'command'],
    });
    // A wrapper that runs nothing stays the command.
    expect(summary('sudo -v; env; nohup')).toEqual(['sudo -v', 'env', 'nohup']);
    expect(parseShell('apt-get install curl')[0].wrappers).toBeUndefined();
  });

  it.each([
    // `-h` takes a host only as the next word that is not an option (sudo's parse_args); bare, it is help.
    ['sudo -h somehost apt-get install foo', 'apt-get install foo'],
    ['sudo -hsomehost apt-get install foo', 'apt-get install foo'],
    ['sudo -E -h somehost make', 'make'],
    ['sudo --host somehost make', 'make'],
    ['sudo --host=somehost make', 'make'],
    ['sudo -u app make', 'make'],
    ['sudo -g staff make', 'make'],
    ['sudo -C 5 make', 'make'],
    ['sudo -D /srv make', 'make'],
    ['sudo -p pw: make', 'make'],
    ['sudo -r role make', 'make'],
    ['sudo -t type make', 'make'],
    ['sudo -T 60 make', 'make'],
    ['sudo -R /jail make', 'make'],
    ['sudo --user app --group staff --close-from 5 --chdir /srv make', 'make'],
    ['sudo --prompt pw: --role r --type t --command-timeout 60 --chroot /jail make', 'make'],
    // Modes that run no command: the command is sudo itself.
    ['sudo -h', 'sudo -h'],
    ['sudo -h -u app make', 'sudo -h -u app make'],
    ['sudo --help make', 'sudo --help make'],
    ['sudo -l make', 'sudo -l make'],
    ['sudo -U app -l make', 'sudo -U app -l make'],
    ['sudo --list make', 'sudo --list make'],
    ['sudo -e /etc/hosts', 'sudo -e /etc/hosts'],
    ['sudo -V', 'sudo -V'],
  ])("reads sudo's options: %s runs %s", (script, command) => {
    expect(summary(script)).toEqual([command]);
  });

  // Long options as getopt_long reads them: any unique prefix (`--us` is `--user`), a value after `=` or in the next
  // word when the option takes one; a prefix of several options is an error, so the wrapper runs nothing and stays
  // the command. env's `-a`/`--argv0` (coreutils 9) and sudo's `-a`/`-c` take a value too.
  it.each([
    ['env -a foo apt-get install x', 'apt-get install x'],
    ['env -afoo apt-get install x', 'apt-get install x'],
    ['env -ia foo apt-get install x', 'apt-get install x'],
    ['env --argv0=foo apt-get install x', 'apt-get install x'],
    ['env --argv0 foo apt-get install x', 'apt-get install x'],
    ['env --arg foo apt-get install x', 'apt-get install x'],
    ['env --chd=/x pip install y', 'pip install y'],
    ['env --chd /x pip install y', 'pip install y'],
    ['env --un HOME pip install y', 'pip install y'],
    ['env --ignore-e --null pip install y', 'pip install y'],
    ['env --default-signal pip install y', 'pip install y'],
    ['env --ignore pip install y', 'env --ignore pip install y'],
    ['env --d pip install y', 'env --d pip install y'],
    ['env --vers pip install y', 'env --vers pip install y'],
    ['sudo --us=root apt-get install x', 'apt-get install x'],
    ['sudo --us root apt-get install x', 'apt-get install x'],
    ['sudo --ho h make', 'make'],
    ['sudo --pro pw: --ch /srv make', 'sudo --pro pw: --ch /srv make'],
    ['sudo --pro pw: --chd /srv make', 'make'],
    ['sudo --h make', 'sudo --h make'],
    ['sudo --pr x make', 'sudo --pr x make'],
    ['sudo --he make', 'sudo --he make'],
    ['sudo --li make', 'sudo --li make'],
    ['sudo -a bsd -c staff make', 'make'],
    ['sudo --auth=bsd --login-c staff make', 'make'],
    ['nice --adj=5 make', 'make'],
    ['nice --adj 5 make', 'make'],
    ['nice --a 5 make', 'make'],
    ['nice --he make', 'nice --he make'],
    ['nohup --he make', 'nohup --he make'],
    // An option the wrapper does not know may take a value (a newer version's): whether the next word is that value or
    // the command is not known, so the wrapper stays the command rather than a guess be linted as it (`val` here).
    // sudo 1.9's -N (Debian 12's man page), known now that an unknown option is not read through.
    ['sudo --no-update apt-get install x', 'apt-get install x'],
    ['sudo --no-up apt-get install x', 'apt-get install x'],
    ['sudo --no apt-get install x', 'sudo --no apt-get install x'],
    ['sudo --newopt val apt-get install x', 'sudo --newopt val apt-get install x'],
    ['sudo --newopt=1 apt-get install x', 'sudo --newopt=1 apt-get install x'],
    ['env --foo pip install y', 'env --foo pip install y'],
    ['nice --niceness 5 make', 'nice --niceness 5 make'],
    ['nohup --foo make', 'nohup --foo make'],
    // So with a short option it does not have (`-X` may take the next word), after known ones in its cluster too.
    ['sudo -X val apt-get install x', 'sudo -X val apt-get install x'],
    ['sudo -HX apt-get install x', 'sudo -HX apt-get install x'],
    ['sudo -HEinSbPBkNA -s make', 'make'],
    ['env -z pip install y', 'env -z pip install y'],
    ['env -i0v pip install y', 'pip install y'],
    ['nice -x make', 'nice -x make'],
    ['nohup -x make', 'nohup -x make'],
    // timeout runs its command after a DURATION (coreutils 9.1's options).
    ['timeout 600 apt-get install -y curl', 'apt-get install -y curl'],
    ['timeout -s KILL -k 5 10m pip install y', 'pip install y'],
    ['timeout -sKILL -v --preserve-status --fore --kill-after=5 1h make', 'make'],
    ['timeout --signal TERM 5 sudo make', 'make'],
    ['timeout 5', 'timeout 5'],
    ['timeout --help make', 'timeout --help make'],
    ['timeout -x 5 make', 'timeout -x 5 make'],
    // env's lone `-` (after its options, once) is -i, not the command.
    ['env - make', 'make'],
    ['env -u HOME - X=1 make', 'make'],
    ['env - - make', '- make'],
    ["env - -S 'pip install y'", '-S pip install y'],
    // The shell's `command` runs its command (-p with the default PATH); -v and -V only look a name up.
    ['command apt-get install -y curl', 'apt-get install -y curl'],
    ['command -p -- apt-get install -y curl', 'apt-get install -y curl'],
    ['command -v apt-get', 'command -v apt-get'],
    ['command -pV apt-get', 'command -pV apt-get'],
    ['command --help apt-get', 'command --help apt-get'],
    ['command', 'command'],
    // xargs runs its command after its options (GNU findutils 4.9's, BSD's -J -R -S); with none it runs echo.
    ['xargs apt-get install -y', 'apt-get install -y'],
    ['xargs -rn 1 -P4 -a pkgs.txt apt-get install -y', 'apt-get install -y'],
    ['xargs -0 -d , -E END -L 2 -s 4096 -I {} apt-get install -y {}', 'apt-get install -y {}'],
    ['xargs -tI{} sh -x {}', 'sh -x {}'],
    ['xargs --max-args=1 --arg-file pkgs.txt --no-run apt-get install -y', 'apt-get install -y'],
    ['xargs --process-slot-var SLOT --delim=, make', 'make'],
    ['xargs -J % -R 2 -S 255 make', 'make'],
    // A cluster is read as getopt reads it: `-r` takes no value, `-n` the rest of the word or the next word.
    ['xargs -rn 1 apt-get install -y', 'apt-get install -y'],
    ['xargs -rn1 apt-get install -y', 'apt-get install -y'],
    ['xargs -n 1 -r apt-get install -y', 'apt-get install -y'],
    ['xargs -0rP4 -n 2 apt-get install -y', 'apt-get install -y'],
    ['xargs -ta pkgs.txt apt-get install -y', 'apt-get install -y'],
    ['xargs -I{} apt-get install -y {}', 'apt-get install -y {}'],
    ['xargs --max-args 1 --arg-file=pkgs.txt apt-get install -y', 'apt-get install -y'],
    ['xargs -- apt-get install -y', 'apt-get install -y'],
    // The options end at the command: its own options are its.
    ['xargs apt-get -n 1 install -y', 'apt-get -n 1 install -y'],
    // -e, -i and -l take only an attached value (getopt's `::`), as do --eof, --replace and --max-lines after `=`.
    ['xargs -i make {}', 'make {}'],
    ['xargs -l make', 'make'],
    ['xargs -ri{} -e. -l1 make {}', 'make {}'],
    ['xargs --replace --max-lines=2 --eof make', 'make'],
    ['xargs -l1 -e apt-get install -y', 'apt-get install -y'],
    ['xargs --eof=END apt-get install -y', 'apt-get install -y'],
    // (so without `=` the next word is the command: GNU xargs runs `1` here)
    ['xargs --max-lines 1 make', '1 make'],
    ['xargs -rn 1', 'xargs -rn 1'],
    ['xargs', 'xargs'],
    ['xargs -n 1', 'xargs -n 1'],
    ['xargs --help make', 'xargs --help make'],
    ['xargs --version make', 'xargs --version make'],
    ['xargs -X make', 'xargs -X make'],
  ])("reads a wrapper's long options by unique prefix: %s runs %s", (script, command) => {
    expect(summary(script)).toEqual([command]);
  });

  // Where xargs's replace string stands, it puts the words it reads: GNU's -I R (-IR), -i[R] and --replace[=R] (`{}`
  // without a value), BSD's -J R. A command run by no xargs, or without one, has none.
  it.each([
    ['xargs -I % apt-get install -y %', ['%']],
    ['xargs -I{} apt-get install -y {}', ['{}']],
    ['xargs -tIPKG apt-get install -y PKG', ['PKG']],
    ['xargs -i apt-get install -y {}', ['{}']],
    ['xargs -ri@ apt-get install -y @', ['@']],
    ['xargs --replace=R apt-get install -y R', ['R']],
    ['xargs --repl apt-get install -y {}', ['{}']],
    ['xargs -J % apt-get install -y %', ['%']],
    ['xargs -I % sudo xargs -I @ apt-get install -y % @', ['%', '@']],
    ['xargs -n 1 apt-get install -y', undefined],
    ["xargs -I '' apt-get install -y", undefined],
    ['sudo apt-get install -y %', undefined],
  ])("reads xargs's replace string: %s replaces %j", (script, replace) => {
    expect(parseShell(script)[0].xargsReplace).toEqual(replace);
  });

  // xargs puts what it reads into a `sh -c` script's text as well, so the script's commands have its replace strings.
  it.each([
    ["xargs -I{} sh -c 'apt-get install -y {}'", ['{}']],
    ['xargs -I % bash -c "apt-get update && apt-get install -y %"', ['%']],
    ["xargs -I % sh -c 'xargs -I @ apt-get install -y % @'", ['%', '@']],
    ["sh -c 'apt-get install -y {}'", undefined],
  ])("gives a sh -c script's commands the replace strings of the xargs running it: %s", (script, replace) => {
    const commands = parseShell(script);
    expect(commands.at(-1)).toMatchObject({ program: 'apt-get', inner: true });
    expect(commands.at(-1)!.xargsReplace).toEqual(replace);
  });

  // GNU env's -S value is a command line of its own, split as env splits it (coreutils env.c): on blanks, with its
  // quotes and escapes; the words go where the option was, so options and assignments in them are env's.
  it.each([
    ["env -S 'pip install foo'", ['pip', 'install', 'foo']],
    ["env -S 'pip install' foo bar", ['pip', 'install', 'foo', 'bar']],
    ["env -S'pip install foo'", ['pip', 'install', 'foo']],
    ["env -iS 'pip install foo'", ['pip', 'install', 'foo']],
    ["env --split-string='pip install foo'", ['pip', 'install', 'foo']],
    ["env --split-string 'pip install foo'", ['pip', 'install', 'foo']],
    ["env -S 'X=1 -u HOME pip install foo'", ['pip', 'install', 'foo']],
    ["env -S \"pip install 'a b' '' c\"", ['pip', 'install', 'a b', '', 'c']],
    ['env -S \'pip\\_install\\tfoo "a\\_b"\'', ['pip', 'install\tfoo', 'a b']],
    ["env -S 'pip install foo #bar baz' qux", ['pip', 'install', 'foo', 'qux']],
    ["env -S 'pip install a#b'", ['pip', 'install', 'a#b']],
    ["env -S 'pip install foo\\c bar'", ['pip', 'install', 'foo']],
    // (sh itself is the command before the one it runs.)
    ['env -S \'sh -c "pip install foo"\'', ['pip', 'install', 'foo']],
    ['env -S \'-S "pip install foo"\'', ['pip', 'install', 'foo']],
    // What env rejects, or reads from its own environment, runs nothing ballast can name: env stays the command.
    ["env -S 'pip install ${PKG}'", ['env', '-S', 'pip install ${PKG}']],
    ["env -S 'pip install $PKG'", ['env', '-S', 'pip install $PKG']],
    ["env -S 'pip install \"foo'", ['env', '-S', 'pip install "foo']],
    ["env -S 'pip install \\q'", ['env', '-S', 'pip install \\q']],
    ['env -S', ['env', '-S']],
    ["env -- -S 'pip install foo'", ['-S', 'pip install foo']],
  ])("reads env's split string: %s runs %j", (script, command) => {
    const commands = parseShell(script).map((c) => [c.program, ...c.args]);
    expect(commands.at(-1)).toEqual(command);
    expect(commands.length).toBe(script.includes('sh -c') ? 2 : 1);
  });

  it('reads a program named like an Object property (`toString -x`) as a program, not a wrapper', () => {
    expect(summary('toString -x; constructor -y')).toEqual(['toString -x', 'constructor -y']);
  });

  it('records leading assignments and strips the program path', () => {
    const [command] = parseShell('DEBIAN_FRONTEND=noninteractive /usr/bin/apt-get install -y curl');
    expect(command.env).toEqual({ DEBIAN_FRONTEND: 'noninteractive' });
    expect(command.program).toBe('apt-get');
  });

  // bash reads `$'...'` with its escapes (bash 5.2: `printf '[%s]' $'a\tb'` prints `[a<tab>b]`); dash 0.5.12 does not
  // have it: a `$`, then a single-quoted string (`[$a\tb]`). The script of `sh -c $'echo a'` was `$echo a`.
  it.each([
    ["printf $'a\\tb'", 'sh', ['$a\\tb']],
    ["printf $'a\\tb'", 'bash', ['a\tb']],
    ["printf $'it\\'s' $'q\\\"' $'b\\\\s' $'n\\nl' $'\\s'", 'bash', ["it's", 'q"', 'b\\s', 'n\nl', '\\s']],
    ["printf $'\\x41\\101\\e\\777' x$'y'z", 'bash', ['AA\x1b\xff', 'xyz']],
    ['printf $"a b" "$\'x\'"', 'bash', ['a b', "$'x'"]],
    ['printf $"a b"', 'sh', ['$a b']],
    // BusyBox ash (1.35.0, Alpine's /bin/sh) reads `$'...'` too, without bash's `\e`, `\u` and `\cX` (kept as
    // written), and `$"a b"` as dash does; zsh 5.9 reads `$'...'` as bash does and `$"a b"` as dash does.
    ["printf $'it\\'s' $'a\\tb' $'\\x41\\e\\u00e9\\cA'", 'ash', ["it's", 'a\tb', 'A\\e\\u00e9\\cA']],
    ['printf $"a b"', 'ash', ['$a b']],
    ["printf $'it\\'s' $'\\e'", 'zsh', ["it's", '\x1b']],
    ['printf $"a b"', 'zsh', ['$a b']],
  ] as const)('reads %s as %s does', (script, dialect, args) => {
    expect(parseShell(script, 0, dialect)[0].args).toEqual(args);
  });

  // A `sh -c` script is read as ash where /bin/sh is BusyBox ash (Alpine), from a bash RUN too, and as bash where it is
  // bash (Fedora): both end `$'a\\'b'` after `b`; dash's elsewhere.
  it('reads a `sh -c` script as ash where /bin/sh is BusyBox ash, as bash where it is bash', () => {
    const scripts = (text: string, dialect: 'sh' | 'bash', binSh: BinSh) =>
      parseShell(text, 0, dialect, binSh).map((c) => [c.program, ...c.args].join(' '));
    const run = `sh -c "printf $'a\\\\'b' && make | tee log"`;
    expect(scripts(run, 'sh', 'dash')).toEqual([
      `sh -c printf $'a\\'b' && make | tee log`,
      'printf $a\\b && make | tee log',
    ]);
    for (const [dialect, binSh] of [
      ['sh', 'ash'],
      ['bash', 'ash'],
      ['bash', 'bash'],
    ] as const)
      expect(scripts(run, dialect, binSh)).toEqual([
        `sh -c printf $'a\\'b' && make | tee log`,
        "printf a'b",
        'make',
        'tee log',
      ]);
  });

  // zsh reads a `(` inside a word as part of it (zsh 5.9: `rm -rf /var/cache/*(N)` removes what `*` matches, or
  // nothing without an error): it opened a subshell, and rules saw `rm -rf /var/cache/*` then a command `N`. `(N)` and
  // `(D)` leave out no file the glob names, so the word is the glob; other qualifiers, groups and arrays stay in it.
  it.each([
    ['rm -rf /var/cache/apt/*(N) /tmp/*(ND)', [['rm', '-rf', '/var/cache/apt/*', '/tmp/*']]],
    [
      'rm -rf /var/log/*(.) /usr/share/(doc|man) && make',
      [['rm', '-rf', '/var/log/*(.)', '/usr/share/(doc|man)'], ['make']],
    ],
    ['a=(x y) && f() { make; } && f', [[''], ['make'], ['f']]],
    [
      'echo ${(U)x} | tr A B',
      [
        ['echo', '${(U)x}'],
        ['tr', 'A', 'B'],
      ],
    ],
    ['(cd /x && make) | tee log', [['cd', '/x'], ['make'], ['tee', 'log']]],
  ])('reads %s as zsh does', (script, commands) => {
    expect(parseShell(script, 0, 'zsh').map((c) => [c.program, ...c.args])).toEqual(commands);
  });

  // ksh93 and mksh read an extended glob (`@(doc|man)`, `!(x)`, `+(a)`, `*(a)`, `?(a)`) as part of its word: it opened a
  // subshell, and rules saw `rm -rf /usr/share/@` then a command `doc` piped into `man`. ksh 93u+m/1.0.4 and mksh R59
  // print `usr/share/doc usr/share/man` for `echo usr/share/@(doc|man)`, and run `!(false)` as the command the glob
  // names. bash reads `@(`, `+(`, `*(` and `?(` so too: without extglob it refuses them (bash 5.2.15: "syntax error near
  // unexpected token `('"), so a script that runs has extglob on; a `!(` starting a command is `!` and a subshell
  // (`!(false); echo $?` prints 0) unless `shopt -s extglob` came on an earlier line. `$@(x)` is `$@` then `(x)`.
  it.each([
    ['ksh', 'rm -rf /usr/share/@(doc|man) && make', [['rm', '-rf', '/usr/share/@(doc|man)'], ['make']]],
    [
      'ksh',
      'echo !(*.txt) +(a).txt *(a) ?(a) | wc -l',
      [
        ['echo', '!(*.txt)', '+(a).txt', '*(a)', '?(a)'],
        ['wc', '-l'],
      ],
    ],
    ['ksh', '!(false); echo', [['!(false)'], ['echo']]],
    ['ksh', "rm -rf /x/@('a b'|c)", [['rm', '-rf', "/x/@('a b'|c)"]]],
    ['bash', 'rm -rf /usr/share/@(doc|man) && make', [['rm', '-rf', '/usr/share/@(doc|man)'], ['make']]],
    [
      'bash',
      'echo !(*.txt) | wc -l',
      [
        ['echo', '!(*.txt)'],
        ['wc', '-l'],
      ],
    ],
    ['bash', '[[ $x == @(a|b)* ]] && make', [['[[', '$x', '==', '@(a|b)*', ']]'], ['make']]],
    ['bash', '!(false); echo', [['false'], ['echo']]],
    ['bash', 'shopt -s extglob\n!(false); echo', [['shopt', '-s', 'extglob'], ['!(false)'], ['echo']]],
    ['bash', 'set -- q; echo $@(x)', [['set', '--', 'q'], ['echo', '$@'], ['x']]],
    ['sh', 'rm -rf /usr/share/@(doc|man)', [['rm', '-rf', '/usr/share/@'], ['doc'], ['man']]],
    ['ash', 'echo !(a)', [['echo', '!'], ['a']]],
  ] as const)('reads extended globs under %s: %j', (dialect, script, commands) => {
    expect(parseShell(script, 0, dialect).map((c) => [c.program, ...c.args])).toEqual(commands);
  });

  it("reads a `bash -c` script as bash does, a `sh -c` one as sh does, and the RUN's words as its shell does", () => {
    const scripts = (text: string, dialect: 'sh' | 'bash') =>
      parseShell(text, 0, dialect).map((c) => [c.program, ...c.args].join(' '));
    expect(scripts("sh -c $'echo a' | tar", 'bash')).toEqual(['sh -c echo a', 'echo a', 'tar']);
    expect(scripts("sh -c $'echo a' | tar", 'sh')).toEqual(['sh -c $echo a', 'tar']);
    expect(scripts('bash -c "printf $\'a\\\\tb\'"', 'sh')).toEqual(["bash -c printf $'a\\tb'", 'printf a\tb']);
    expect(scripts('sh -c "printf $\'a\\\\tb\'"', 'bash')).toEqual(["sh -c printf $'a\\tb'", 'printf $a\\tb']);
    // A `$` in it is as written: the shell does not expand it.
    expect(parseShell("echo $'$HOME'", 0, 'bash')[0].literalDollar?.args.has(0)).toBe(true);
  });

  // A `$(...)` ends where bash ends it: `$'it\'s'` is one quoted word there, so `)` after it closes the substitution.
  // In sh (dash 0.5.12) the `'` after `s` opens a quote that runs to the end of the text.
  it.each([
    ["V=$(echo $'it\\'s') && apt-get update", 'bash', ['', 'apt-get update'], "$(echo $'it\\'s')"],
    ["echo \"$(printf $'a\\'b')\" && make", 'bash', ["echo $(printf $'a\\'b')", 'make'], undefined],
    ["V=$(echo $'it\\'s') && apt-get update", 'sh', [''], "$(echo $'it\\'s') && apt-get update"],
    // A `'` or `)` in double quotes is as written, in each dialect (bash 5.2.15 and dash 0.5.12 run `make` after both).
    ['V=$(echo "it\'s") && make', 'sh', ['', 'make'], '$(echo "it\'s")'],
    ['V=$(echo "a)b" "$(echo "c)d")") && make', 'bash', ['', 'make'], '$(echo "a)b" "$(echo "c)d")")'],
    // A backquote substitution in it is read to its closing backquote (bash 5.2.15 and dash 0.5.12 run `make`).
    ['V=$(echo `echo \\)` y) && make', 'sh', ['', 'make'], '$(echo `echo \\)` y)'],
    [
      'V=$(echo `case a in a) echo in;; esac` y) && make',
      'bash',
      ['', 'make'],
      '$(echo `case a in a) echo in;; esac` y)',
    ],
    [
      'V="$(echo `case $x in a) echo "in";; esac`)" && make',
      'sh',
      ['', 'make'],
      '$(echo `case $x in a) echo "in";; esac`)',
    ],
  ] as const)('ends the substitution in %s as %s does', (script, dialect, commands, value) => {
    const parsed = parseShell(script, 0, dialect);
    expect(parsed.map((c) => [c.program, ...c.args].join(' '))).toEqual(commands);
    if (value !== undefined) expect(parsed[0].env.V).toBe(value);
  });

  // A `\`` in a backquote substitution nests one in it, and does not end it (it did: the scan
  // stopped at its backquote); in double quotes, a `"` in one does not end the quotes (it did). bash 5.2.15 and dash
  // 0.5.12 run `make` after each.
  it.each([
    ['V=`echo \\`date\\` | cat` && make', 'V=`echo \\`date\\` | cat`'],
    ["V=`curl x | sed 's/\\`//g'` && make", "V=`curl x | sed 's/\\`//g'`"],
    ['V="`echo "a;b"`" && make', 'V="`echo "a;b"`"'],
  ])('reads %s to its closing backquote', (script, word) => {
    const parsed = parseShell(script);
    expect(parsed.map((c) => [c.program, ...c.args].join(' '))).toEqual(['', 'make']);
    expect(parsed[0].assignments).toEqual([word]);
  });

  // The scripts the shell runs in a word, as dash 0.5.12 and bash 5.2.15 read it: quotes in a
  // `$(...)` hold its `)`, single quotes and backslashes make `$(` and backquotes literal (a `\`` in double quotes
  // too), a substitution nested in another is part of its script, and backquote scripts lose their `\`` escapes.
  it.each([
    ['V=$(echo ")" | grep x)', 'sh', ['echo ")" | grep x']],
    ["V=$(printf '%s)' a | cat)", 'sh', ["printf '%s)' a | cat"]],
    ['V="`date`$(a | b)"', 'sh', ['date', 'a | b']],
    ['V=$(echo "`a | b`")', 'sh', ['echo "`a | b`"']],
    ['V=$(echo "$(a | b)")x', 'sh', ['echo "$(a | b)"']],
    ['V="\\`a | b\\`"', 'sh', []],
    ["V='`a | b`'\\$(c | d)", 'sh', []],
    ['V=`echo \\`a | b\\` \\$HOME`', 'sh', ['echo `a | b` $HOME']],
    ['V=$((1 | 2))$(( $(nproc) + 1 ))', 'sh', ['nproc']],
    // bash reads `$'\'` as a quote escaped in its string, sh as a `$` and a single-quoted backslash.
    ["V=$'\\'`a | b`'`c`", 'bash', ['c']],
    ["V=$'\\'`a | b`''", 'sh', ['a | b']],
    // In double quotes a `\"` in backquotes is unescaped too (bash 5.2.15 and dash 0.5.12 print `a b`
    // for ``echo "`echo \"a b\"`"``), and kept outside them (they print `"a b"` for ``echo `echo \"a b\"` ``).
    ['V="`grep \\"a|b\\" f`"', 'sh', ['grep "a|b" f']],
    ['V=`grep \\"a|b\\" f`', 'sh', ['grep \\"a|b\\" f']],
  ] as const)('finds the substitutions of %s (%s)', (word, dialect, scripts) => {
    expect(substitutionScripts(word, dialect)).toEqual(scripts);
  });

  it('descends into sh -c and compound commands, keeps $(...) in one word', () => {
    expect(summary("set -eux; if [ -f x ]; then bash -c 'cd /tmp && make'; fi; echo $(uname -m | tr a b)")).toEqual([
      'set -eux',
      '[ -f x ]',
      'bash -c cd /tmp && make',
      'cd /tmp',
      'make',
      'echo $(uname -m | tr a b)',
    ]);
  });

  it.each([
    ['sh -c "$SCRIPT"', ['sh -c $SCRIPT']],
    ['bash -c "${SCRIPT:-make}"', ['bash -c ${SCRIPT:-make}']],
    ['sh -c "$(curl -fsSL https://x)"', ['sh -c $(curl -fsSL https://x)']],
    ['sh -c `cat /s`', ['sh -c `cat /s`']],
    // The inner shell expands a `$` the RUN's shell left as written, as a command of the script; so is one further on.
    ["sh -c '$CMD x'", ['sh -c $CMD x', '$CMD x']],
    ['sh -c "cd $DIR && make"', ['sh -c cd $DIR && make', 'cd $DIR', 'make']],
  ])('does not descend into a sh -c script an expansion puts there: %s', (script, commands) => {
    expect(summary(script)).toEqual(commands);
  });

  it('records the subshells around each command, outermost first, and not `{ ...; }` groups (but a pipeline part)', () => {
    // A `cd` or `export` in a `( ... )` ends with it; one in a `{ ...; }` group persists (see ShellCommand subshells).
    // `{ f; }` after a `|` is a pipeline part, which bash and dash run in a subshell of its own, as they do `(e)`'s part.
    const commands = parseShell('(a; (b) && { c; }); d; (e) | { f; }');
    const ids = commands.map((c) => c.subshells ?? []);
    expect(commands.map((c) => c.program)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    const [outer, inner, left, last, right] = [ids[0][0], ids[1][1], ids[4][0], ids[4][1], ids[5][0]];
    expect(ids).toEqual([[outer], [outer, inner], [outer], [], [left, last], [right]]);
    expect(new Set([outer, inner, left, last, right]).size).toBe(5);
  });

  it('records the and-or lists around a command past the first pipeline of one, and where the last `||` was', () => {
    // `c` runs only when `b` succeeded; `e` only when `c` failed; inside `{ ...; }` the outer list is still around `g`, `h` and `i`.
    const commands = parseShell('a; b && c || d && e; f && { g; h && i; }');
    const steps = commands.map((c) => (c.andOr ?? []).map(({ element, lastOr }) => [element, lastOr]));
    expect(commands.map((c) => c.program)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
    expect(steps).toEqual([
      [],
      [],
      [[1, -1]],
      [[2, 2]],
      [[3, 2]],
      [],
      [
        [1, -1],
        [0, -1],
      ],
      [
        [1, -1],
        [0, -1],
      ],
      [
        [1, -1],
        [1, -1],
      ],
    ]);
    expect(commands[2].andOr![0].list).toBe(commands[4].andOr![0].list);
    expect(commands[6].andOr![0].list).not.toBe(commands[2].andOr![0].list);
  });

  // A `then` arm (a `while` body) runs only when its condition's last and-or list succeeded: as if after it through
  // `&&`, so a command on the right of `&&` there has run. Not an `else`/`elif` arm nor an `until` body, which run when
  // it failed, nor after an `&`, which leaves the list in the background and goes on.
  it.each([
    ['if a && b; then c; fi', { element: 2, lastOr: -1 }],
    ['if x; a || y && b; then c; fi', { element: 3, lastOr: 1 }],
    ['if a; then :; elif x && b; then c; fi', { element: 2, lastOr: -1 }],
    ['while a && b; do c; done', { element: 2, lastOr: -1 }],
    ['if a && b; then :; else c; fi', undefined],
    ['if a && b; then :; elif x; then c; fi', undefined],
    ['until a && b; do c; done', undefined],
    ['if a && b & then c; fi', undefined],
  ])("gives the arm in %s the step it takes in its condition's and-or list", (script, step) => {
    const commands = parseShell(script);
    const b = commands.find((c) => c.program === 'b')!;
    const c = commands.find((c) => c.program === 'c')!;
    // (the whole `if` is the first pipeline of a list of its own, around the condition's)
    const list = b.andOr![b.andOr!.length - 1].list;
    const found = c.scope.find((f) => f.onSuccess?.list === list)?.onSuccess;
    expect(found).toEqual(step === undefined ? undefined : { list, ...step });
  });

  // Which command lists a command's failure cannot be the status of (hiddenIn), or which go on after it (followedIn),
  // told by how deep in `b`'s lists they are: 0 for the script, 1 for the compound command around b.
  it.each([
    ['{ a; b; c; }', [], [1]],
    ['{ a; b && c; }', [], []],
    ['{ b || c; }', [1], []],
    ['{ ! b; }', [1], []],
    ['{ b & c; }', [1], []],
    ['if b; then c; fi', [1], []],
    ['if a; then :; elif b; then c; fi', [1], []],
    ['while b; do c; done', [1], []],
    ['until a; do b; done', [], []],
    ['{ b; }; c', [], [0]],
    ['b || c', [0], []],
    ["sh -c 'b; c'", [], [1]],
  ])('reads where the status of b in %s is hidden (%j) or followed (%j)', (script, hidden, followed) => {
    const b = parseShell(script).find((c) => c.program === 'b')!;
    const depths = (ids: number[] | undefined) => (ids ?? []).map((id) => b.sequences!.indexOf(id));
    expect([depths(b.hiddenIn), depths(b.followedIn)]).toEqual([hidden, followed]);
  });

  // errexit is ignored in a condition, before `&&` or `||`, after `!`, and in all they run, but for a `sh -c` script,
  // a new shell (dash 0.5.12, bash 5.2: `set -e; { false; echo x; } | cat && echo ok` prints x).
  it.each([
    ['b', []],
    ['a && b', ['a']],
    ['b && a', ['b']],
    ['b || a; c', ['b']],
    ['a && b | c && d', ['a', 'b', 'c']],
    ['{ b; c; } | d || e', ['b', 'c', 'd']],
    ['if b; then c; fi; d', ['b']],
    ['while b | c; do d; done', ['b', 'c']],
    ['until b; do c; done', ['b']],
    ['! b; c', ['b']],
    ['(b; c) && d', ['b', 'c']],
    ["sh -ec 'b; c' && d", ['sh']],
    ["sh -ec 'b && c'", ['b']],
    ['b & c', []],
  ])('reads where errexit is ignored in %s (%j)', (script, ignored) => {
    const commands = parseShell(script);
    expect(commands.filter((c) => c.errexitIgnored).map((c) => c.program)).toEqual(ignored);
  });

  it("gives a `then` arm inside another the outer one's step too, and none to the commands after the `fi`", () => {
    const commands = parseShell('if a && b; then if x; then c; fi; d; fi; e');
    const list = commands.find((c) => c.program === 'b')!.andOr![1].list;
    const steps = (program: string) =>
      commands.find((c) => c.program === program)!.scope.flatMap((f) => (f.onSuccess ? [f.onSuccess.list] : []));
    expect([steps('c').includes(list), steps('d'), steps('e')]).toEqual([true, [list], []]);
  });

  // bash's `;&` runs the next arm's commands too, and `;;&` goes on testing the later arms' patterns: those arms may run
  // after this one (they were read as a `;` and an `&`, so `b)` became a command and the arm's commands went outside
  // the `case`).
  it('reads the `;&` and `;;&` case terminators and marks the arms that may run after another', () => {
    const commands = parseShell('case x in a) p;& b) q;; c) r;;& d) s;& e) t;; esac; u');
    expect(commands.map((c) => c.program)).toEqual(['p', 'q', 'r', 's', 't', 'u']);
    expect(commands.map((c) => c.scope.map((f) => [f.branch, f.runsOn, f.afterAnother]))).toEqual([
      [[0, { through: 1, thenTests: false }, undefined]],
      [[1, undefined, true]],
      [[2, { through: 2, thenTests: true }, undefined]],
      [[3, { through: 4, thenTests: false }, true]],
      [[4, undefined, true]],
      [],
    ]);
    // Which arm may run after which, as bash runs them: a) into b); c) then any later arm; d) into e).
    const order = (a: string, b: string) =>
      runsAfter(
        commands,
        commands.find((c) => c.program === a)!,
        commands.find((c) => c.program === b)!,
      );
    expect(
      ['pq', 'pr', 'qr', 'rs', 'rt', 'st', 'pt', 'qs'].map((pair) => `${pair} ${order(pair[0], pair[1])}`),
    ).toEqual(['pq maybe', 'pr never', 'qr never', 'rs maybe', 'rt maybe', 'st maybe', 'pt never', 'qs never']);
  });

  it('marks a `case` arm with an unquoted `*` pattern as the catch-all, as an `else`', () => {
    const commands = parseShell('case "$x" in a) p;; b|*) q;; "*") r;; esac');
    expect(commands.map((c) => c.scope[0].otherwise)).toEqual([undefined, true, undefined]);
  });

  // bash and dash run each part of a pipeline of two or more commands in a subshell: `cd x | cat; rm -rf y` runs the
  // rm where the shell was, and `export A=1 | true` sets nothing. Each part gets an id of its own at the pipeline's
  // depth, around whatever the part holds; a lone command is no pipeline.
  it.each([
    ['cd x | cat; rm y', [['p'], ['q'], []]],
    ['a | b | c', [['p'], ['q'], ['r']]],
    ['a && b | c; d', [[], ['p'], ['q'], []]],
    ['! a | b', [['p'], ['q']]],
    ['(a; b | c); d', [['o'], ['o', 'p'], ['o', 'q'], []]],
    ['{ cd x; a; } | b', [['p'], ['p'], ['q']]],
    ['(cd x; a) | b', [['p', 'o'], ['p', 'o'], ['q']]],
    ["sh -c 'cd x; a' | b", [['p'], ['p', 'c'], ['p', 'c'], ['q']]],
    ["sh -c 'a | b'; c", [[], ['c', 'p'], ['c', 'q'], []]],
    ['if a | b; then c; fi | d', [['p', 'q'], ['p', 'r'], ['p'], ['s']]],
    ['a', [[]]],
  ])('gives each part of the pipeline in %s a subshell of its own', (script, expected) => {
    const ids = parseShell(script).map((c) => c.subshells ?? []);
    // The ids are unique per parse but not fixed: name them by first appearance and compare the shapes.
    const names = new Map<number, string>();
    const shape = (id: number) => names.get(id) ?? names.set(id, `#${names.size}`).get(id)!;
    const letters = new Map<string, string>();
    const expectedShape = expected.map((row) =>
      row.map((letter) => letters.get(letter) ?? letters.set(letter, `#${letters.size}`).get(letter)!),
    );
    expect(ids.map((row) => row.map(shape))).toEqual(expectedShape);
  });

  // An and-or list ended by `&` runs in the background, in a subshell: `cd x & rm y` runs the rm where the shell was,
  // and `set -o pipefail & a | b` leaves pipefail off for the pipe. The whole list shares one, around what it holds;
  // what follows the `&` is back in the shell.
  it.each([
    ['cd x & rm y', [['p'], []]],
    ['a && b & c; d', [['p'], ['p'], [], []]],
    ['a; b & c & d', [[], ['p'], ['q'], []]],
    ['a | b & c', [['p', 'q'], ['p', 'r'], []]],
    ['(a; b & c) & d', [['o', 'p'], ['o', 'p', 'q'], ['o', 'p'], []]],
    ['{ a; } & b', [['p'], []]],
    ["sh -c 'a & b' & c", [['p'], ['p', 'c', 'q'], ['p', 'c'], []]],
    ['if a & then b; fi', [['p'], []]],
  ])('puts the lists left in the background in %s in a subshell of their own', (script, expected) => {
    const ids = parseShell(script).map((c) => c.subshells ?? []);
    const names = new Map<number, string>();
    const shape = (id: number) => names.get(id) ?? names.set(id, `#${names.size}`).get(id)!;
    const letters = new Map<string, string>();
    const expectedShape = expected.map((row) =>
      row.map((letter) => letters.get(letter) ?? letters.set(letter, `#${letters.size}`).get(letter)!),
    );
    expect(ids.map((row) => row.map(shape))).toEqual(expectedShape);
  });

  it("gives a sh -c script's commands a subshell of their own inside the sh -c's", () => {
    // The script runs in a child shell: a `cd` or `export` there does not outlive it.
    const commands = parseShell("(sh -c 'cd x; a'); b");
    const ids = commands.map((c) => c.subshells ?? []);
    expect(commands.map((c) => c.program)).toEqual(['sh', 'cd', 'a', 'b']);
    const [outer, child] = [ids[0][0], ids[1][1]];
    expect(ids.map((i) => i.length)).toEqual([1, 2, 2, 0]);
    expect(ids).toStrictEqual([[outer], [outer, child], [outer, child], []]);
    expect(child).not.toBe(outer);
  });

  // The shells read their options as bash and dash do: `-o NAME`, `+o NAME`, `-O NAME` and `+O NAME` take the next
  // word, also from inside a cluster (`-eo pipefail`, `-oe pipefail`); `-c` anywhere among the options makes the first
  // word after them the script.
  it.each([
    "bash -o pipefail -c 'apt-get install curl'",
    "bash -eo pipefail -c 'apt-get install curl'",
    "bash -oe pipefail -c 'apt-get install curl'",
    "bash -euxo pipefail -c 'apt-get install curl'",
    "bash -o pipefail -ec 'apt-get install curl'",
    "bash -c -o pipefail 'apt-get install curl'",
    "bash +o pipefail -c 'apt-get install curl'",
    "bash -O extglob -c 'apt-get install curl'",
    "bash +O extglob -xc 'apt-get install curl'",
    "bash --noprofile --norc -c 'apt-get install curl'",
    "bash --rcfile /etc/rc -c 'apt-get install curl'",
    "sh -e -x -c 'apt-get install curl'",
    "sh -c -e 'apt-get install curl' name arg",
    // A lone `-` or `--` ends the options.
    "sh -c - 'apt-get install curl'",
    "sh -ec -- 'apt-get install curl'",
  ])('reads the script of %s', (script) => {
    expect(summary(script).slice(1)).toEqual(['apt-get install curl']);
  });

  it.each([
    // Without -c the first word is a script file; `pipefail` and `-c` are `-o`'s values.
    "bash -o pipefail 'apt-get install curl'",
    "bash -o -c 'apt-get install curl'",
    "bash -oe -c 'apt-get install curl'",
    // Options end at the first word that is not one: this `-c` is an argument of the script file.
    "bash script.sh -c 'apt-get install curl'",
  ])('runs no script in %s', (script) => {
    expect(summary(script)).toHaveLength(1);
  });

  it('treats newlines (heredoc scripts) as separators and skips comments', () => {
    expect(summary('apt-get update\n# clean up\nrm -rf /var/lib/apt/lists/*')).toEqual([
      'apt-get update',
      'rm -rf /var/lib/apt/lists/*',
    ]);
  });
});

describe('flags', () => {
  it('splits short clusters and long flags with values', () => {
    expect(flagNames(['-qy', '--no-install-recommends', '--opt=1', '--', '-x'])).toEqual([
      'q',
      'y',
      'no-install-recommends',
      'opt',
    ]);
    expect(hasFlag(['-qqy'], 'y', 'yes')).toBe(true);
  });
  it('skips values of value flags in positionals', () => {
    expect(positionals(['install', '-t', 'bookworm-backports', 'curl', '--opt=x'], ['t'])).toEqual(['install', 'curl']);
  });

  // A short cluster is read as getopt reads it, letter by letter: the first letter that takes a value takes the rest of
  // the word, or the next word when it ends the cluster; the letters after it are value, not options.
  it.each([
    ['-qt stable pkg', ['o', 't'], ['pkg']],
    ['-tstable pkg', ['o', 't'], ['pkg']],
    ['-qtstable pkg', ['o', 't'], ['pkg']],
    // `-o` with value `t`: the `t` is no option and takes no word.
    ['-ot pkg', ['o', 't'], ['pkg']],
    // `-o` with value `Dir::Cache=/var/cache/apt`, whose last letter is no `-t`.
    ['-oDir::Cache=/var/cache/apt install curl', ['o', 't'], ['install', 'curl']],
    ['-Uq pkg', ['U'], ['pkg']],
    ['-xq pkg', ['o', 't'], ['pkg']],
    ['--target-release stable pkg', ['target-release'], ['pkg']],
    ['--target-release=stable pkg', ['target-release'], ['pkg']],
    ['--other stable pkg', ['target-release'], ['stable', 'pkg']],
    ['-- -t pkg', ['o', 't'], ['-t', 'pkg']],
    ['- pkg', ['o', 't'], ['-', 'pkg']],
    ['pkg -t', ['o', 't'], ['pkg']],
  ])('positionals of `%s` with value flags %j are %j', (line, valueFlags, expected) => {
    expect(positionals(line.split(' '), valueFlags)).toEqual(expected);
  });
});

describe('control flow (runsAfter)', () => {
  // The relation between the first command named `first` and the first named `second` in a script.
  const relation = (script: string, first = 'install', second = 'clean') => {
    const commands = parseShell(script);
    const a = commands.find((c) => c.program === first)!;
    const b = commands.find((c) => c.program === second)!;
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    return runsAfter(commands, a, b);
  };

  it('a cleanup after `;`, `&&` or a newline runs on every path after the install', () => {
    expect(relation('install; clean')).toBe('always');
    expect(relation('set -eux; install && clean || true')).toBe('always');
    expect(relation('install\nclean')).toBe('always');
    expect(relation('x || install && clean')).toBe('always');
    expect(relation("sh -c 'install && clean'")).toBe('always');
  });

  it('a cleanup before the install, behind `||` or in another arm never follows it', () => {
    expect(relation('clean; install')).toBe('never');
    expect(relation('install || clean')).toBe('never');
    expect(relation('install; test -d x || clean')).toBe('never');
    expect(relation('if a; then install; else clean; fi')).toBe('never');
    expect(relation('if a; then install; elif b; then clean; fi')).toBe('never');
    expect(relation('case "$x" in a) install ;; b|c) clean ;; esac')).toBe('never');
    expect(relation('case "$x" in a) install ;& b) x ;; c) clean ;; esac')).toBe('never');
  });

  it("a cleanup in a `case` arm that may run after the install's (`;&`, `;;&`) may or may not run", () => {
    expect(relation('case "$x" in a) install ;& b) clean ;; esac')).toBe('maybe');
    expect(relation('case "$x" in a) install ;;& b) x ;; c) clean ;; esac')).toBe('maybe');
    expect(relation('case "$x" in a) install ;& b) x ;& c) clean ;; esac')).toBe('maybe');
    expect(relation('case "$x" in a) clean ;& b) install ;; esac')).toBe('never');
  });

  it('inside the arm that installed, or after the compound ends, the cleanup always runs', () => {
    expect(relation('if a; then install; clean; fi')).toBe('always');
    expect(relation('if a; then install; fi; clean')).toBe('always');
    expect(relation('case "$(dpkg --print-architecture)" in\n amd64) install ;;\n *) exit 1 ;;\nesac\nclean')).toBe(
      'always',
    );
    expect(relation('for p in a b; do install $p; done; clean')).toBe('always');
    expect(relation('{ install; }; ( cd /tmp && clean )')).toBe('always');
  });

  it('an exit between them that always runs ends the script before the cleanup', () => {
    expect(relation('install; exit 0; clean')).toBe('never');
    expect(relation('install\nexit 0\nclean')).toBe('never');
    expect(relation('install && exit 0 && clean')).toBe('never');
    expect(relation('if a; then install; exit 0; fi; clean')).toBe('never');
    // Only on a failure, in another arm, or inside another shell: the cleanup still follows.
    expect(relation('install || exit 1; clean')).toBe('always');
    expect(relation('if a; then install; else exit 1; fi; clean')).toBe('always');
    expect(relation("install; sh -c 'exit 0'; clean")).toBe('always');
  });

  it('a cleanup in a condition, loop or function the install is not in may or may not run', () => {
    expect(relation('install; if [ -n "$CLEAN" ]; then clean; fi')).toBe('maybe');
    expect(relation('install; for d in $DIRS; do clean $d; done')).toBe('maybe');
    expect(relation('install; f() { clean; }; f')).toBe('maybe');
    expect(relation('f() { clean; }; install; f')).toBe('maybe');
  });

  it('keeps case patterns, loop headers and reserved words out of the commands', () => {
    expect(
      summary(
        'case "$a" in\n  x86_64|amd64) arch=x64 ;;\n  (*) echo no; exit 1 ;;\nesac; for f in a b; do echo $f; done',
      ),
    ).toEqual([
      // `arch=x64` is an assignment-only command (no program)
      '',
      'echo no',
      'exit 1',
      'echo $f',
    ]);
    expect(summary('while read -r line; do echo "$line"; done < /etc/list; if ! test -f x; then touch x; fi')).toEqual([
      'read -r line',
      'echo $line',
      'test -f x',
      'touch x',
    ]);
  });
});

describe('robustness', () => {
  it('never throws or loops on any mix of reserved words, operators and words', () => {
    // Given 2,000 scripts of random tokens (a fixed-seed generator, so every run sees the same ones)
    const parts = [
      'if',
      'then',
      'else',
      'elif',
      'fi',
      'case',
      'in',
      'esac',
      ';;',
      ';&',
      ';;&',
      'for',
      'do',
      'done',
      'while',
      'until',
      '{',
      '}',
      '(',
      ')',
      '|',
      '||',
      '&&',
      ';',
      '&',
      '\n',
      'a',
      'b=c',
      'rm -rf /x',
      "'q'",
      '"d"',
      '$(x)',
      'f()',
      '!',
      '>',
      '`',
      '\\',
    ];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 2000; i += 1) {
      const text = Array.from(
        { length: 1 + Math.floor(next() * 25) },
        () => parts[Math.floor(next() * parts.length)],
      ).join(' ');
      // When parsed, and every pair of its commands related
      const commands = parseShell(text);
      // Then each relation is one of the three answers
      for (const a of commands)
        for (const b of commands) expect(['always', 'never', 'maybe']).toContain(runsAfter(commands, a, b));
    }
  });
});

// The one place that says which shell reads a RUN's script, for every reader of its commands.
describe('runDialect', () => {
  it.each([
    ['RUN echo', undefined, 'sh'],
    ['RUN echo', '/bin/bash', 'bash'],
    ['RUN echo', '/bin/ash', 'ash'],
    ['RUN echo', '/usr/bin/zsh', 'zsh'],
    // ksh93 and mksh read `$'...'` and `$"..."` as bash does (see dialectOf), where they were read as dash, and their
    // extended globs as words.
    ['RUN echo', '/bin/ksh', 'ksh'],
    ['RUN echo', 'ksh93', 'ksh'],
    ['RUN echo', '/bin/mksh', 'ksh'],
    ['RUN echo', '/bin/lksh', 'ksh'],
    ['RUN ["mksh", "-c", "echo"]', undefined, 'ksh'],
    ['RUN <<EOF\n#!/bin/ksh\necho\nEOF', undefined, 'ksh'],
    // The shell a heredoc is fed to reads it, whatever the SHELL.
    ['RUN <<EOF bash\necho\nEOF', undefined, 'bash'],
    ['RUN sh -e <<EOF\necho\nEOF', '/bin/bash', 'sh'],
    // A heredoc that starts with `#!` is run as a file: its interpreter reads it.
    ['RUN <<EOF\n#!/bin/bash\necho\nEOF', undefined, 'bash'],
    ['RUN <<EOF\n#!/usr/bin/env bash\necho\nEOF', undefined, 'bash'],
    ['RUN <<EOF\n#!/bin/sh -e\necho\nEOF', '/bin/bash', 'sh'],
    // Not first, the `#!` line is a comment to the shell that reads the script.
    ['RUN <<EOF\n\n#!/bin/bash\necho\nEOF', undefined, 'sh'],
    // A heredoc fed to a command on the RUN line: the SHELL reads that line.
    ['RUN cat <<EOF > /x\n#!/bin/sh\nEOF', '/bin/bash', 'bash'],
    // Exec form runs its program without the SHELL.
    ['RUN ["bash", "-c", "echo"]', undefined, 'bash'],
    ['RUN ["/bin/sh", "-c", "echo"]', '/bin/bash', 'sh'],
  ] as const)('reads %j under the SHELL %s as %s', (run, shell, dialect) => {
    const instruction = parseDockerfile(`FROM debian:12\n${run}\n`, 'Dockerfile').instructions[1];
    expect(runDialect(instruction, shell)).toBe(dialect);
  });

  // Where /bin/sh is BusyBox ash (Alpine), whatever runs `sh` reads as ash: the default SHELL, a `/bin/sh` SHELL, an
  // exec form's, a heredoc's `#!/bin/sh` or the sh it is fed to. Other shells keep theirs.
  it.each([
    ['RUN echo', undefined, 'ash'],
    ['RUN echo', '/bin/sh', 'ash'],
    ['RUN echo', '/bin/bash', 'bash'],
    ['RUN ["/bin/sh", "-c", "echo"]', '/bin/bash', 'ash'],
    ['RUN <<EOF\n#!/bin/sh -e\necho\nEOF', '/bin/bash', 'ash'],
    ['RUN sh -e <<EOF\necho\nEOF', '/bin/bash', 'ash'],
    ['RUN ["dash", "-c", "echo"]', undefined, 'sh'],
  ] as const)('reads %j under the SHELL %s as %s where /bin/sh is BusyBox ash', (run, shell, dialect) => {
    const instruction = parseDockerfile(`FROM alpine:3.20\n${run}\n`, 'Dockerfile').instructions[1];
    expect(runDialect(instruction, shell, 'ash')).toBe(dialect);
  });

  // Where /bin/sh is bash (Fedora, Red Hat, Amazon Linux), whatever runs `sh` reads as bash (which, run as `sh`, still
  // reads `$'...'`); they were read as dash.
  it.each([
    ['RUN echo', undefined, 'bash'],
    ['RUN echo', '/bin/sh', 'bash'],
    ['RUN ["/bin/sh", "-c", "echo"]', undefined, 'bash'],
    ['RUN <<EOF\n#!/bin/sh -e\necho\nEOF', undefined, 'bash'],
    ['RUN ["dash", "-c", "echo"]', undefined, 'sh'],
    ['RUN echo', '/bin/ash', 'ash'],
  ] as const)('reads %j under the SHELL %s as %s where /bin/sh is bash', (run, shell, dialect) => {
    const parsed = parseDockerfile(`FROM fedora:40\n${run}\n`, 'Dockerfile');
    const binSh = analyzeStages(parsed).binSh[0];
    expect(runDialect(parsed.instructions[1], shell, binSh)).toBe(dialect);
  });
});
