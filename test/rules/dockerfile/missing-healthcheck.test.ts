// DF250 missing-healthcheck (hadolint DL3057): off by default; once on, every stage without a HEALTHCHECK of its own or
// of the earlier stage it is built FROM, reported on the stage's FROM line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rule } from '../../../rules/dockerfile/missing-healthcheck.js';
import { lintText } from '../../../src/lint/engine.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';
import { runCli } from '../../helpers/cli.js';

ruleTester.run(rule, {
  valid: [
    'FROM busybox\nHEALTHCHECK CMD /bin/true',
    // HEALTHCHECK NONE is a HEALTHCHECK instruction: the author chose no check.
    'FROM busybox\nHEALTHCHECK NONE',
    'FROM busybox\nHEALTHCHECK --interval=30s --timeout=3s \\\n  CMD wget -q -O /dev/null http://localhost/ || exit 1',
    // Inherited from the stage it is built FROM, also through a chain of stages and with another case of the name.
    'FROM busybox AS base\nHEALTHCHECK CMD /bin/true\nFROM base\nRUN make',
    'FROM busybox AS base\nHEALTHCHECK CMD /bin/true\nFROM base AS mid\nFROM mid\nCMD ["app"]',
    'FROM busybox AS Base\nHEALTHCHECK CMD /bin/true\nFROM base',
    'FROM busybox AS a\nHEALTHCHECK CMD a\nFROM busybox AS b\nHEALTHCHECK NONE',
    // No FROM: no stage line to report on.
    'HEALTHCHECK CMD /bin/true',
    'RUN make',
    'from busybox\nhealthcheck cmd /bin/true',
  ],
  invalid: [
    {
      code: 'FROM busybox\nRUN make',
      errors: [
        {
          messageId: 'missing',
          line: 1,
          message: 'This stage has no HEALTHCHECK and does not inherit one from an earlier stage.',
        },
      ],
    },
    // Every stage is checked, build stages included (as hadolint does).
    {
      code: 'FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM debian:12\nCOPY --from=build /app /app\nHEALTHCHECK CMD ["/app", "-health"]',
      errors: [
        {
          messageId: 'missing',
          line: 1,
          message: 'This stage has no HEALTHCHECK and does not inherit one from an earlier stage.',
        },
      ],
    },
    {
      code: 'FROM busybox AS a\nHEALTHCHECK CMD a\nFROM busybox\nRUN make',
      errors: [{ messageId: 'missing', line: 3 }],
    },
    // COPY --from does not carry a HEALTHCHECK; only FROM <stage> does.
    {
      code: 'FROM busybox AS a\nHEALTHCHECK CMD a\nFROM debian:12\nCOPY --from=a /bin/a /bin/a',
      errors: [{ messageId: 'missing', line: 3 }],
    },
    // A stage built on one that has no HEALTHCHECK: both are reported.
    {
      code: 'FROM busybox AS base\nRUN make\nFROM base\nCMD ["app"]',
      errors: [
        { messageId: 'missing', line: 1 },
        { messageId: 'missing', line: 3 },
      ],
    },
    // The HEALTHCHECK of a later stage does not reach back to its base.
    {
      code: 'FROM busybox AS base\nFROM base\nHEALTHCHECK CMD a',
      errors: [{ messageId: 'missing', line: 1 }],
    },
    // ONBUILD HEALTHCHECK is a trigger for images built from this one.
    { code: 'FROM busybox\nONBUILD HEALTHCHECK CMD a', errors: [{ messageId: 'missing', line: 1 }] },
    // Reported on the FROM line, also after a leading ARG and comments.
    {
      code: '# syntax=docker/dockerfile:1\nARG VERSION=1.36\n\nFROM busybox:${VERSION}\nRUN make',
      errors: [{ messageId: 'missing', line: 4 }],
    },
  ],
});

describe('DF250 is off by default (hadolint severity ignore)', () => {
  const text = 'FROM debian:12 AS build\nRUN make\n# hadolint ignore=DL3057\nFROM debian:12\nCMD ["app"]';
  it('reports nothing unless a severity is configured', () => {
    expect(lintText(text, 'Dockerfile', [rule]).findings).toEqual([]);
  });
  it('reports at the configured severity, keyed by code or name, and honours the pragma above FROM', () => {
    for (const key of ['DF250', 'missing-healthcheck']) {
      const findings = lintText(text, 'Dockerfile', [rule], { severities: { [key]: 'warning' } }).findings;
      expect(findings.map((f) => [f.code, f.severity, f.location.kind === 'dockerfile' && f.location.line])).toEqual([
        ['DF250', 'warning', 1],
      ]);
    }
  });
});

describe('DF250 through `ballast lint` and `ballast rules` (compiled CLI: npm run build first)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-df250-'));
    // Given a Dockerfile whose only finding, once DL3057 is on, is the missing HEALTHCHECK of its one stage
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:12-slim\nUSER 1000\nCMD ["app"]\n');
    writeFileSync(join(dir, '.dockerignore'), '.git\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function lintFindings(...args: string[]): Promise<{ code: number | null; found: string[] }> {
    const result = await runCli(['lint', 'Dockerfile', '--format', 'json', '--no-shellcheck', ...args], { cwd: dir });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as {
      targets: { findings: { code: string; severity: string; location: { line: number } }[] }[];
    };
    const found = report.targets.flatMap((t) => t.findings).map((f) => `${f.code}@${f.location.line}:${f.severity}`);
    return { code: result.code, found };
  }

  it('is off without configuration', async () => {
    expect(await lintFindings()).toEqual({ code: 0, found: [] });
  });

  it('.hadolint.yaml override turns DL3057 on', async () => {
    writeFileSync(join(dir, '.hadolint.yaml'), 'override:\n  warning: [DL3057]\n');
    expect(await lintFindings()).toEqual({ code: 1, found: ['DF250@1:warning'] });
  });

  it('.ballast.yaml rules: {DL3057: warning} turns it on, and --ignore DL3057 turns it off again', async () => {
    writeFileSync(join(dir, '.ballast.yaml'), 'rules:\n  DL3057: warning\n');
    expect(await lintFindings()).toEqual({ code: 1, found: ['DF250@1:warning'] });
    expect(await lintFindings('--ignore', 'DL3057')).toEqual({ code: 0, found: [] });
  });

  it('`ballast rules DL3057` prints its page', async () => {
    const result = await runCli(['rules', 'DL3057']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('DF250 missing-healthcheck');
    expect(result.stdout).toContain('HEALTHCHECK NONE');
  });
});
