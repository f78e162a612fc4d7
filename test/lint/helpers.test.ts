import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { commandsOf } from '../../src/lint/engine.js';
import { applyEdits } from '../../src/lint/fixer.js';
import {
  copySourceMatches,
  createdPaths,
  deleteMatches,
  installedPaths,
  readPip,
  writtenPaths,
} from '../../src/lint/helpers.js';

/** The Dockerfile after deleting each match of `pattern` in its RUN, read across continuations. */
function deleted(lines: string[], pattern: RegExp): string {
  const text = lines.join('\n');
  const parsed = parseDockerfile(text, 'Dockerfile');
  return applyEdits(
    text,
    deleteMatches(
      parsed,
      parsed.instructions.find((i) => i.keyword === 'RUN')!,
      pattern,
      true,
    ),
  ).text;
}

describe('deleteMatches across line continuations', () => {
  // A line's escape and line break go together or not at all: the escape alone would end the instruction, the line
  // break alone would escape the next line's first character.
  it.each([
    ['a cut ending in the tail stops before the escape', ['RUN a --x \\', '  b'], / --x[ \t]*/g, ['RUN a\\', '  b']],
    ['a cut over the line break takes the escape', ['RUN a && \\', '  b'], /a && \s*/g, ['RUN b']],
    ['a cut starting in the tail takes the escape', ['RUN a\\', '  --x'], /\s+\n\s*--x/g, ['RUN a']],
    ['a cut that is all tail is none', ['RUN a \\', '  b'], /(?<= ) +(?=\n)/g, ['RUN a \\', '  b']],
    // The builder would read the next instruction as part of this one.
    [
      'no cut leaves a continued-onto line blank',
      ['RUN a \\', '  --x', 'CMD c'],
      /(?<=\n)\s*--x/g,
      ['RUN a \\', '  --x', 'CMD c'],
    ],
    [
      'no cut leaves a line past a comment line blank',
      ['RUN a \\', '# x', '  --x', 'CMD c'],
      /^\s*--x/g,
      ['RUN a \\', '# x', '  --x', 'CMD c'],
    ],
  ])('%s', (_, lines, pattern, after) => {
    for (const escape of ['\\', '`']) {
      const swap = (l: string): string => l.replace('\\', escape);
      expect(deleted([`# escape=${escape}`, 'FROM a', ...lines.map(swap)], pattern)).toBe(
        [`# escape=${escape}`, 'FROM a', ...after.map(swap)].join('\n'),
      );
    }
  });
});

describe('the file a download creates', () => {
  /** The paths the first command of `RUN script` creates and writes. */
  function paths(script: string): { created: string[]; written: string[] } {
    const parsed = parseDockerfile(`FROM a\nRUN ${script}`, 'Dockerfile');
    const command = commandsOf(parsed.instructions.find((i) => i.keyword === 'RUN')!)[0];
    return { created: createdPaths(command).map((p) => p.path), written: writtenPaths(command) };
  }

  it.each([
    // curl's `-O` takes no value: the file is the URL's name, not the URL.
    ['curl -O https://example.com/a.tgz', 'a.tgz'],
    ['curl -fsSL -O https://example.com/a.tgz?x=1', 'a.tgz'],
    ['curl --remote-name https://example.com/a.tgz', 'a.tgz'],
    ['curl -fsSLO https://example.com/a.tgz', 'a.tgz'],
    // An output option bundled after other short flags still names the file.
    ['curl -fsSLo out.tgz https://example.com/a.tgz', 'out.tgz'],
    ['curl -o out.tgz https://example.com/a.tgz', 'out.tgz'],
    ['curl --output out.tgz https://example.com/a.tgz', 'out.tgz'],
    ['wget -qO out.tgz https://example.com/a.tgz', 'out.tgz'],
    ['wget -O out.tgz https://example.com/a.tgz', 'out.tgz'],
    ['wget --output-document=out.tgz https://example.com/a.tgz', 'out.tgz'],
    ['wget -q https://example.com/a.tgz', 'a.tgz'],
    // A value joined to its short option.
    ['curl -sSLoout.tgz https://example.com/a.tgz', 'out.tgz'],
    ['wget -qOout.tgz https://example.com/a.tgz', 'out.tgz'],
    // A value joined to another option is that option's, even with an `o` or `O` in it.
    ['curl -uroot:pw -O https://example.com/a.tgz', 'a.tgz'],
    ['curl -Hhost:x -o out.tgz https://example.com/a.tgz', 'out.tgz'],
    ['wget --header=X -eOFF=1 https://example.com/a.tgz', 'a.tgz'],
    // `wget -O FILE` writes FILE in the working directory, whatever `-P` says.
    ['wget -P /opt -O out.tgz https://example.com/a.tgz', 'out.tgz'],
    // The `P` is in `-U`'s value (user agent "Python"), not a `-P` directory.
    ['wget -UPython https://example.com/a.tgz', 'a.tgz'],
    ['wget -q -UPython https://example.com/a.tgz', 'a.tgz'],
    // The URL is found past a cluster read as wget and curl read it: it stops at the first option that takes a value,
    // and the rest of the word is that value (user agent "myT", not `-T` taking the URL as its timeout).
    ['wget -UmyT https://example.com/a.tgz', 'a.tgz'],
    ['wget -qT 5 https://example.com/a.tgz', 'a.tgz'],
    ['wget -qT5 https://example.com/a.tgz', 'a.tgz'],
    ['wget -nv -t 3 https://example.com/a.tgz', 'a.tgz'],
    ['curl -sSfL -O https://example.com/a.tgz', 'a.tgz'],
    ['curl -sSfL -O -dname=jane https://example.com/a.tgz', 'a.tgz'],
    ['curl -O -m 30 -x http://proxy:3128 https://example.com/a.tgz', 'a.tgz'],
    ['curl -O --proxy http://proxy:3128 https://example.com/a.tgz', 'a.tgz'],
    // Every long option curl and wget give a value takes the next word: a URL-like value is not the download.
    ['curl --doh-url https://dns.example/dns-query -O https://example.com/a.tgz', 'a.tgz'],
    ['curl --preproxy http://proxy:1080 -O https://example.com/a.tgz', 'a.tgz'],
    ['curl --resolve example.com:443:192.0.2.1 -O https://example.com/a.tgz', 'a.tgz'],
    ['curl --data-binary @f -O https://example.com/a.tgz', 'a.tgz'],
    ['curl --cacert ca.pem -o out.tgz https://example.com/a.tgz', 'out.tgz'],
    ['wget --base https://example.com/dir/ https://example.com/a.tgz', 'a.tgz'],
    ['wget --ca-certificate ca.pem https://example.com/a.tgz', 'a.tgz'],
    // Two long options wget's `--help` shows without `=VALUE` take the next word all the same.
    ['wget --hsts-file https://example.com/hsts https://example.com/a.tgz', 'a.tgz'],
    ['wget --max-redirect 3 https://example.com/a.tgz', 'a.tgz'],
    // curl's `--url` names the URL as an option's value.
    ['curl -O --url https://example.com/a.tgz', 'a.tgz'],
    ['curl -fsSLO --url=https://example.com/a.tgz', 'a.tgz'],
    // Under `-P DIR` (it was left unnamed, and the directory alone, /tmp say, is one base images have).
    ['wget -P /opt https://example.com/a.tgz', '/opt/a.tgz'],
    ['wget -qP /opt/ https://example.com/a.tgz', '/opt/a.tgz'],
    ['wget -qP/opt https://example.com/a.tgz', '/opt/a.tgz'],
    ['wget --directory-prefix=/opt https://example.com/a.tgz', '/opt/a.tgz'],
    // curl's `--output-dir` moves named files and URL names alike.
    ['curl --output-dir /opt -O https://example.com/a.tgz', '/opt/a.tgz'],
    ['curl --output-dir=/opt -o out.tgz https://example.com/a.tgz', '/opt/out.tgz'],
  ])('%s creates %s', (script, file) => {
    const { created, written } = paths(script);
    expect(created).toEqual([file]);
    expect(written).toContain(file);
  });

  it.each([
    // To stdout: no file.
    'curl -fsSL https://example.com/a.tgz',
    'wget -O - https://example.com/a.tgz',
    'wget -qO- https://example.com/a.tgz',
    'curl -so- https://example.com/a.tgz',
    // The `O` is in `-A`'s value (user agent "Opera"), not `-O`: the download goes to standard output.
    'curl -AOpera https://example.com/a.tgz',
    'curl --url https://example.com/a.tgz',
  ])('%s creates no file it can name', (script) => {
    expect(paths(script).created).toEqual([]);
  });

  it.each([
    // curl and wget write their download and the files their options name; the URL and other values are not paths.
    ["curl --cacert /etc/ssl/ca.pem -H 'Accept: a/b' -o /tmp/x.tgz https://example.com/a.tgz", ['/tmp/x.tgz']],
    ['curl -fsSL https://example.com/dl/install.sh', []],
    ['curl -fsSL -u me:pw/x -x http://proxy/ https://example.com/dl/install.sh', []],
    ['curl -D /tmp/headers -c /tmp/jar -o out.tgz https://example.com/a.tgz', ['/tmp/headers', '/tmp/jar', 'out.tgz']],
    ['curl -D - -o /tmp/x https://example.com/a.tgz', ['/tmp/x']],
    // Writing to a pipe leaves `-o`'s file written.
    ['curl -fsSL -o /tmp/x https://example.com/a.tgz | cat', ['/tmp/x']],
    ['curl --output-dir /opt/dl -O https://example.com/a.tgz', ['/opt/dl', '/opt/dl/a.tgz']],
    ['wget --ca-certificate=/etc/ssl/ca.pem https://example.com/dl/a.tgz', ['a.tgz']],
    ['wget --header "Accept: a/b" -O /tmp/x https://example.com/a.tgz', ['/tmp/x']],
    ['wget -P /opt/dl https://example.com/a.tgz', ['/opt/dl', '/opt/dl/a.tgz']],
    ['wget -o /var/log/wget.log -qO- https://example.com/a.tgz', ['/var/log/wget.log']],
    // wget saves its HSTS database to `--hsts-file`, as curl does to `--hsts`.
    ['wget --hsts-file /tmp/hsts -qO- https://example.com/a.tgz', ['/tmp/hsts']],
    // Other writers' option values are not paths they write (from their `--help` here), but `-t DIR` is.
    ['touch -r /etc/passwd /tmp/stamp', ['/tmp/stamp']],
    ['touch --reference /etc/passwd /tmp/stamp', ['/tmp/stamp']],
    ['install --strip-program /usr/bin/strip -s app /usr/local/bin/app', ['/usr/local/bin/app']],
    ['install -m 755 -o root -g root ./app /usr/local/bin/app', ['/usr/local/bin/app']],
    ['cp -t /opt/app ./a ./b', ['/opt/app']],
    ['cp --target-directory /opt/app a', ['/opt/app']],
    ['mv -S .orig -t /opt/app a', ['/opt/app']],
    // Into a directory base images have, each source's name there too (the directory alone is no sign of the file).
    ['cp -r /src/build /usr/local/', ['/usr/local/', '/usr/local/build']],
    ['mv -t /opt /tmp/app/ /tmp/*.jar', ['/opt', '/opt/app']],
    ['cp -r /tmp/a /opt/app/', ['/opt/app/']],
    // Each writer's own arguments: only what it writes, not what it reads (value letters from their `--help`).
    ['cp /etc/skel/.bashrc /root/', ['/root/', '/root/.bashrc']],
    ['cp -a ./a ./b /opt/app/', ['/opt/app/']],
    ['mv /usr/bin/foo /usr/local/bin/foo', ['/usr/local/bin/foo']],
    ['ln -sf /usr/bin/python3 /usr/local/bin/python', ['/usr/local/bin/python']],
    ['ln -s /usr/bin/python3', []],
    ['install -d -m 755 /opt/a /opt/b', ['/opt/a', '/opt/b']],
    ['install -Dm755 ./app /usr/local/bin/app', ['/usr/local/bin/app']],
    ['rsync -a --exclude .git ./src/ /opt/src/', ['/opt/src/']],
    ['rsync -av -e ssh ./dist/ host:/srv/www/', []],
    // Only install's `-d` creates every positional (cp's keeps links) and only rsync's `host:` is another host.
    ['cp -d /opt/a /opt/b /srv/', ['/srv/', '/srv/a', '/srv/b']],
    ['cp /opt/a host:b', ['host:b']],
    ['tar -xzf /tmp/a.tgz -C /opt', ['/opt']],
    ['tar xzf /tmp/a.tgz -C /opt', ['/opt']],
    ['tar -C /opt -xzf /tmp/a.tgz', ['/opt']],
    ['tar --extract --file=/tmp/a.tgz --directory /opt', ['/opt']],
    ['tar xzf /tmp/a.tgz', []],
    ['tar -xzf /tmp/a.tgz -O etc/x', []],
    ['tar -tzf /tmp/a.tgz', []],
    ['tar -czf /tmp/etc.tgz -C / etc', ['/tmp/etc.tgz']],
    ['tar cfz /tmp/etc.tgz /etc', ['/tmp/etc.tgz']],
    ['tar -cf - /etc', []],
    ['unzip /tmp/a.zip -d /opt', ['/opt']],
    ['unzip -q -d/opt /tmp/a.zip', ['/opt']],
    ['unzip -l /tmp/a.zip', []],
    ['unzip -c /tmp/a.zip -d /opt', []],
    ['unzip /tmp/a.zip', []],
    // After the zip, `-x` takes every word up to the next `-d` word as an excluded name (`-q` too), and only the first
    // `-d` counts (one before the zip included): a later one is a member name (UnZip 6.00, tried here).
    ["unzip /tmp/a.zip -x '*.txt' '*.md' -d /opt/out", ['/opt/out']],
    ["unzip /tmp/a.zip -x '*.txt' -q -d /opt/out", ['/opt/out']],
    ["unzip /tmp/a.zip -x '*.txt' -l -d /opt/out", ['/opt/out']],
    ['unzip /tmp/a.zip -x -d /opt/out', ['/opt/out']],
    ["unzip /tmp/a.zip -x '*.txt' -d/opt/out", ['/opt/out']],
    ["unzip -q -d /opt/a /tmp/a.zip -x '*.md' -d /opt/b", ['/opt/a']],
    // Before the zip `-x` is a flag (extract, the default): the next word is the zip. Two `-d` there are an error.
    ['unzip -x /tmp/a.zip -d /opt/out', ['/opt/out']],
    ["unzip -q /tmp/a.zip -x '*.md' out.txt", []],
    ['unzip -d /opt/a -d /opt/b /tmp/a.zip', []],
    ['git clone https://example.com/x/y.git /src', ['/src']],
    ['git clone -b main --depth 1 https://example.com/x/y.git /src/y', ['/src/y']],
    ['git -C /src clone https://example.com/x/y.git', ['/src/y']],
    // A clone without a directory writes one named after the URL, in the working directory.
    ['git clone https://example.com/x/y.git', ['y']],
    ['git clone https://example.com/x/y.git src', ['src']],
    ['git fetch https://example.com/x/y.git', []],
    ['git -C /src checkout v1.2', []],
    ['dd if=/dev/zero of=/swapfile bs=1M count=1', ['/swapfile']],
    ['tee -a /etc/hosts /tmp/hosts', ['/etc/hosts', '/tmp/hosts']],
    ['head -c 10 /dev/urandom', []],
    // A name without a `/` is written in the working directory all the same.
    ['mkdir -p build', ['build']],
    ['touch stamp', ['stamp']],
    ['cp a b', ['b']],
    ['ln -s /usr/bin/python3 python', ['python']],
    ['tar -czf etc.tgz /etc', ['etc.tgz']],
    ['unzip /tmp/a.zip -d out', ['out']],
    ['dd if=/dev/zero of=swapfile bs=1M count=1', ['swapfile']],
    ['tee -a out.txt', ['out.txt']],
    // The working directory itself (or one above) is where a copy goes, not what it creates.
    ['cp /tmp/a .', []],
    ['cp /tmp/a ./', []],
    ['tar -xzf /tmp/a.tgz -C ..', []],
  ])('%s writes %j', (script, written) => {
    expect(paths(script).written.sort()).toEqual([...written].sort());
  });

  it.each([
    // A clone without a directory creates one named after the URL, in the working directory.
    ['git clone https://example.com/x/y.git', ['y']],
    ['git clone https://example.com/x/y.git/', ['y']],
    ['git clone --bare git@example.com:x/y.git', ['y.git']],
    ['git clone https://example.com/x/y.git /src', ['/src']],
  ])('%s creates %j', (script, created) => {
    expect(paths(script).created).toEqual(created);
  });

  it('keeps a `$` the shell leaves as written', () => {
    const parsed = parseDockerfile("FROM a\nRUN curl -fsSLo '$out' https://example.com/a.tgz", 'Dockerfile');
    const command = commandsOf(parsed.instructions.find((i) => i.keyword === 'RUN')!)[0];
    expect(createdPaths(command)).toEqual([{ path: '$out', literal: true }]);
  });
});

describe("pip's options as pip reads them", () => {
  /** The subcommand, each option (`name` or `name=value`) and the positionals of the first command of `RUN script`. */
  function read(script: string): [string | undefined, string[], string[]] {
    const parsed = parseDockerfile(`FROM a\nRUN ${script}`, 'Dockerfile');
    const command = commandsOf(parsed.instructions.find((i) => i.keyword === 'RUN')!)[0];
    const pip = readPip(command)!;
    return [
      pip.subcommand && command.args[pip.subcommand.at],
      pip.options.map((o) => (o.value === undefined ? o.name : `${o.name}=${o.value}`)),
      pip.positionals.map((i) => command.args[i]),
    ];
  }

  it.each([
    // optparse takes a long option's unique prefix, and reads it as the option's first long name.
    ['pip install --no-cache flask', ['install', ['no-cache-dir'], ['flask']]],
    ['pip install --cache /x --cache=/y flask', ['install', ['cache-dir=/x', 'cache-dir=/y'], ['flask']]],
    [
      'pip install --ind https://i -r r.txt --requirem q.txt',
      ['install', ['index-url=https://i', 'requirement=r.txt', 'requirement=q.txt'], []],
    ],
    ['pip install --pypi https://i -ihttps://j x', ['install', ['index-url=https://i', 'index-url=https://j'], ['x']]],
    ['python3 -m pip --cache /x install --tar t x', ['install', ['cache-dir=/x', 'target=t'], ['x']]],
    ['pip download --dest /d -dd x', ['download', ['dest=/d', 'dest=d'], ['x']]],
    ['pip wheel --w /w x', ['wheel', ['wheel-dir=/w'], ['x']]],
    // An exact name wins over the longer ones it is a prefix of.
    ['pip install --pre --log l x', ['install', ['pre', 'log=l'], ['x']]],
    // A prefix of several names is no option (pip fails): kept as written, taking no value. Two names of one option
    // count as two.
    ['pip install --no-c x', ['install', ['no-c'], ['x']]],
    ['pip install --no-dep x', ['install', ['no-dep'], ['x']]],
    ['pip install --requir r.txt', ['install', ['requir'], ['r.txt']]],
    // Before the subcommand only the general options are known; pip's subcommand parser reads them again with its
    // own, so `--pro` (--proxy; --progress-bar too for download) fails there. An install option before `install` is
    // no option of pip's main parser (pip fails): what follows it is no `install`.
    ['pip --pro http://p download x', ['download', ['pro'], ['x']]],
    ['pip --pro http://p cache purge', ['cache', ['proxy=http://p'], ['purge']]],
    ['pip -r r.txt install', ['r.txt', ['r'], ['install']]],
    // Python takes `-m`'s module in the same word (`-mpip`), and its own flags before it, clustered too (`-um pip`);
    // `-W` and `-X` take a value, in the word or the next. pip reads what follows the module.
    ['python3 -mpip install --no-cache x', ['install', ['no-cache-dir'], ['x']]],
    ['python -u -m pip install x', ['install', [], ['x']]],
    ['python3 -I -B -m pip install x', ['install', [], ['x']]],
    ['python3 -umpip install x', ['install', [], ['x']]],
    ['python3 -W ignore -X utf8 -m pip install x', ['install', [], ['x']]],
    ['python3 -Wignore -OO -mpip install x', ['install', [], ['x']]],
    ['python3 --check-hash-based-pycs never -m pip install x', ['install', [], ['x']]],
  ] as [string, [string | undefined, string[], string[]]][])('%s', (script, expected) => {
    expect(read(script)).toEqual(expected);
  });

  // Python runs no pip: a `-c` program or a script comes first, `-V` and `-h` print and exit, `-E` takes no module.
  // pip's module is `pip` alone: `pip3` is only a script's name (`python3 -m pip3` fails: No module named pip3).
  it.each([
    'python3 -c "import pip" -m pip install x',
    'python3 app.py -m pip install x',
    'python3 -V -m pip install x',
    'python3 -m piptools compile',
    'python3 -W -m pip install x',
    'python3 -mpipx install x',
    'python -m pip3 install x',
    'python3 -mpip3 install x',
    'python3 -u -m pip3.11 install x',
  ])('%s is no pip', (script) => {
    const parsed = parseDockerfile(`FROM a\nRUN ${script}`, 'Dockerfile');
    expect(readPip(commandsOf(parsed.instructions.find((i) => i.keyword === 'RUN')!)[0])).toBeUndefined();
  });

  // Each command is read once and the reading shared by every rule that asks: it must be that command's own, and no
  // caller may change it for the others.
  it('reads each pip command of a RUN as its own, once, frozen', () => {
    const script = 'pip install --no-cache x && python3 -m pip download --dest /d y && pip install z';
    const parsed = parseDockerfile(`FROM a\nRUN ${script}`, 'Dockerfile');
    const [install, download, other] = commandsOf(parsed.instructions.find((i) => i.keyword === 'RUN')!);
    const first = readPip(install)!;
    expect(first).toEqual({
      subcommand: { name: 'install', at: 0 },
      options: [{ name: 'no-cache-dir', from: 1 }],
      positionals: [2],
    });
    expect(readPip(download)).toEqual({
      subcommand: { name: 'download', at: 2 },
      options: [{ name: 'dest', value: '/d', from: 4 }],
      positionals: [5],
    });
    expect(readPip(other)).toEqual({ subcommand: { name: 'install', at: 0 }, options: [], positionals: [1] });
    expect(readPip(install)).toBe(first);
    for (const part of [first, first.subcommand, first.options, first.options[0], first.positionals])
      expect(Object.isFrozen(part)).toBe(true);
  });
});

describe('which build-context names a COPY source brings, as the builder matches them', () => {
  it.each([
    ['package.json', 'package.json', true],
    ['./package.json', 'package.json', true],
    ['/package.json', 'package.json', true],
    ['package.json', 'app/package.json', false],
    ['.', 'src/index.ts', true],
    ['./', '.yarnrc.yml', true],
    ['', 'package.json', true],
    // A directory brings what is under it.
    ['src', 'src/index.ts', true],
    ['./src/', 'src/lib/a.ts', true],
    ['src', 'srcx/index.ts', false],
    ['src/*', 'src/lib/a.ts', true],
    // `*` and `?` stay within one name.
    ['package*.json', 'package-lock.json', true],
    ['*.json', 'app/package.json', false],
    ['package.jso?', 'package.json', true],
    ['package.jso?', 'package.jso', false],
    ['.yarnrc.y?l', '.yarnrc.yml', true],
    ['.yarnrc.yml', '.yarnrcxyml', false],
    // Classes, negated with `^` (Go's filepath.Match has no `!`: `[!a]` is `!` or `a`).
    ['[a-c].json', 'b.json', true],
    ['[a-c].json', 'd.json', false],
    ['[^a].json', 'b.json', true],
    ['[^a].json', 'a.json', false],
    ['[!a].json', '!.json', true],
    ['[!a].json', 'b.json', false],
    ['[\\]].json', '].json', true],
    // `\` takes the next character as written.
    ['\\*.json', '*.json', true],
    ['\\*.json', 'a.json', false],
    // A plain source's `**` is filepath.Match's: two `*` within one name, no run of directories.
    ['**/package.json', 'package.json', false],
    ['**/package.json', 'a/package.json', true],
    ['**/package.json', 'a/b/package.json', false],
    ['src/**', 'src/a/b.ts', true],
    ['a/**/x', 'a/x', false],
    ['a/**/x', 'a/b/x', true],
    ['a/**/x', 'a/b/c/x', false],
    ['a/**/x', 'b/x', false],
    // No braces: `{a,b}` is a name as written.
    ['{a,b}.json', 'a.json', false],
    ['{a,b}.json', '{a,b}.json', true],
    // A bad pattern fails the build: it brings nothing.
    ['[a.json', 'a.json', false],
    ['[a.json', '[a.json', false],
    ['[].json', '].json', false],
    ['[-a].json', 'a.json', false],
    ['a\\', 'a', false],
    ['*', '[x', true],
  ])('%s brings %s: %s', (source, name, expected) => {
    expect(copySourceMatches(source, name)).toBe(expected);
  });

  // Each source's expression is compiled once and kept, a rejected one too: asked in turn, every source still answers
  // for itself.
  it.each([
    [
      [
        ['a*', 'ab', true],
        ['b*', 'ab', false],
        ['a*', 'ab', true],
        ['b*', 'ba', true],
      ],
    ],
    [
      [
        ['[ab', 'a', false],
        ['[ab]', 'a', true],
        ['[ab', 'a', false],
        ['[ab]', 'b', true],
        ['[ab', '[ab', false],
      ],
    ],
  ] as [[string, string, boolean][]][])('in turn: %j', (calls) => {
    expect(calls.map(([source, name]) => copySourceMatches(source, name))).toEqual(calls.map(([, , brings]) => brings));
  });

  it('answers the same for sources asked again after many others', () => {
    const sources = Array.from({ length: 1100 }, (_, i) => `f${i}*`);
    const asked = () =>
      sources.map((source, i) => [copySourceMatches(source, `f${i}.txt`), copySourceMatches(source, 'g')]);
    expect(asked()).toEqual(sources.map(() => [true, false]));
    expect(asked()).toEqual(sources.map(() => [true, false]));
  });
});

describe('where an install or build puts its output (installedPaths)', () => {
  const installed = (script: string): string[] =>
    installedPaths(commandsOf(parseDockerfile(`FROM a\nRUN ${script}`, 'Dockerfile').instructions[1])[0]);

  it.each([
    ['npm ci --omit=dev', ['node_modules']],
    ['npm install --omit dev', ['node_modules']],
    ['pnpm install --frozen-lockfile', ['node_modules']],
    // Elsewhere, or nothing here: a global install, another prefix, a script.
    ['npm install -g typescript', []],
    ['npm ci --prefix /srv', []],
    ['npm run build', []],
    ['pip install --target /opt/deps flask', ['/opt/deps']],
    ['python3 -m pip install -t deps -r requirements.txt', ['deps']],
    ['pip install flask', []],
    ['bundle install --path vendor/bundle', ['vendor/bundle']],
    ['go build -o /out/app ./cmd/app', ['/out/app']],
    // Go reads one flag a word: `-mod=vendor` holds no `-o`, and `-ldflags` takes the next word.
    ['go build -mod=vendor -ldflags "-o x" ./cmd', []],
    ['go build -trimpath --o=bin/app .', ['bin/app']],
    ['go build -C sub -o app .', []],
  ])('%s', (script, expected) => {
    expect(installed(script)).toEqual(expected);
  });
});

describe('the commands of an exec-form RUN', () => {
  /** Each command of the RUN as its program and arguments. */
  function commands(execJson: string): string[][] {
    const parsed = parseDockerfile(`FROM a\nRUN ${execJson}`, 'Dockerfile');
    return commandsOf(parsed.instructions[1]).map((c) => [c.program, ...c.args]);
  }

  // The `-c` script of every shell the parser reads is opened (only sh, bash, dash and ash were: a zsh, ksh or mksh
  // script's `apt-get install` was no command to any rule), in that shell's dialect: ksh93 and mksh read `$'...'` as
  // bash does (ksh 93u+m/1.0.4 and mksh R59 print `don't` for `printf %s $'don\'t'`).
  it.each(['zsh', '/bin/zsh', 'ksh', '/usr/bin/ksh93', 'mksh', 'lksh'])('opens the `-c` script of %s', (shell) => {
    expect(commands(`["${shell}", "-c", "apt-get update && apt-get install -y curl"]`).slice(1)).toEqual([
      ['apt-get', 'update'],
      ['apt-get', 'install', '-y', 'curl'],
    ]);
    expect(commands(`["${shell}", "-c", "printf $'don\\\\'t' && curl -fsSL x | tar xz"]`).slice(1)).toEqual([
      ['printf', "don't"],
      ['curl', '-fsSL', 'x'],
      ['tar', 'xz'],
    ]);
  });

  it('leaves the words of a program that is no shell as they are', () => {
    expect(commands('["python3", "-c", "print(1) | x"]')).toEqual([['python3', '-c', 'print(1) | x']]);
  });
});
