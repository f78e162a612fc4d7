import { flagNames, hasFlag, parseShell, positionals } from '../../src/dockerfile/shell.js';

const summary = (text: string) => parseShell(text).map((c) => [c.program, ...c.args].join(' '));

describe('parseShell', () => {
  it('splits lists, pipes and keeps quoted words whole', () => {
    expect(summary('apt-get update && apt-get install -y "a b" || true; echo \'x;y\'')).toEqual([
      'apt-get update',
      'apt-get install -y a b',
      'true',
      'echo x;y',
    ]);
  });

  it('marks pipes and drops redirections', () => {
    const commands = parseShell('curl -fsSL https://x/install.sh 2>/dev/null | sh -s -- -y > /tmp/log 2>&1');
    expect(commands.map((c) => [c.program, c.args, c.pipesToNext, c.pipedFromPrevious])).toEqual([
      ['curl', ['-fsSL', 'https://x/install.sh'], true, false],
      ['sh', ['-s', '--', '-y'], false, true],
    ]);
  });

  it('records leading assignments and strips the program path', () => {
    const [command] = parseShell('DEBIAN_FRONTEND=noninteractive /usr/bin/apt-get install -y curl');
    expect(command.env).toEqual({ DEBIAN_FRONTEND: 'noninteractive' });
    expect(command.program).toBe('apt-get');
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

  it('treats newlines (heredoc scripts) as separators and skips comments', () => {
    expect(summary('apt-get update\n# clean up\nrm -rf /var/lib/apt/lists/*')).toEqual(['apt-get update', 'rm -rf /var/lib/apt/lists/*']);
  });
});

describe('flags', () => {
  it('splits short clusters and long flags with values', () => {
    expect(flagNames(['-qy', '--no-install-recommends', '--opt=1', '--', '-x'])).toEqual(['q', 'y', 'no-install-recommends', 'opt']);
    expect(hasFlag(['-qqy'], 'y', 'yes')).toBe(true);
  });
  it('skips values of value flags in positionals', () => {
    expect(positionals(['install', '-t', 'bookworm-backports', 'curl', '--opt=x'], ['t'])).toEqual(['install', 'curl']);
  });
});
