// A team moving from hadolint keeps its .hadolint.yaml: through the lint service, on real files in a temp dir, the
// hadolint-parity rules (DF200-DF236) follow `ignored`, `override`, `trustedRegistries` and `failure-threshold`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lint } from '../../../src/services/lint.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-parity-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const DOCKERFILE = [
  'FROM quay.io/centos/centos:stream9',
  'RUN yum install -y httpd-2.4.6 && yum clean all',
  'RUN wget https://example.com/x.tgz | tar xz',
  'USER 1000',
].join('\n');

async function lintWithHadolintConfig(
  config: string,
): Promise<{ codes: string[]; severities: Record<string, string>; exitCode: number }> {
  writeFileSync(join(dir, 'Dockerfile'), `${DOCKERFILE}\n`);
  writeFileSync(join(dir, '.hadolint.yaml'), config);
  const result = await lint({ files: [join(dir, 'Dockerfile')], cwd: dir });
  const findings = result.report.targets.flatMap((t) => t.findings).filter((f) => /^DF2\d\d$/.test(f.code));
  return {
    codes: findings.map((f) => f.code).sort(),
    severities: Object.fromEntries(findings.map((f) => [f.code, f.severity])),
    exitCode: result.exitCode,
  };
}

describe('.hadolint.yaml drives the hadolint-parity rules', () => {
  it('trustedRegistries turns DL3026 on; the other rules report with their defaults', async () => {
    // Given a hadolint config that trusts only Docker Hub
    const { codes, severities } = await lintWithHadolintConfig('trustedRegistries:\n  - docker.io\n');
    // Then the quay.io base is untrusted (DF209 = DL3026), and wget's noise (DL3047) and the pipe (DL4006) are reported
    expect(codes).toEqual(['DF209', 'DF224', 'DF236']);
    expect(severities).toEqual({ DF209: 'error', DF224: 'info', DF236: 'warning' });
  });

  it('ignored silences rules by hadolint id, and override changes their severity', async () => {
    const { codes, severities } = await lintWithHadolintConfig(
      'ignored:\n  - DL3047\noverride:\n  error:\n    - DL4006\n',
    );
    expect(codes).toEqual(['DF236']);
    expect(severities).toEqual({ DF236: 'error' });
  });

  it('without trustedRegistries, DL3026 stays off as in hadolint', async () => {
    const { codes } = await lintWithHadolintConfig('ignored:\n  - DL3047\n');
    expect(codes).toEqual(['DF236']);
  });

  it('failure-threshold decides the exit code', async () => {
    // Given only an info finding left (DL3047) and a threshold of warning
    const passing = await lintWithHadolintConfig('ignored:\n  - DL4006\nfailure-threshold: warning\n');
    const failing = await lintWithHadolintConfig('ignored:\n  - DL4006\nfailure-threshold: info\n');
    expect(passing.codes).toEqual(['DF224']);
    expect(passing.exitCode).toBe(0);
    expect(failing.exitCode).toBe(1);
  });
  it('a key left empty is unset, as in hadolint, not a config error', async () => {
    // Given a .hadolint.yaml whose lists were emptied by commenting their items out (YAML reads each as null), which
    // hadolint reads as absent
    const config = [
      'ignored:',
      '  # - DL3047',
      'override:',
      '  error:',
      '    # - DL4006',
      '  warning: [DL3047]',
      'trustedRegistries:',
      'failure-threshold:',
      'no-fail:',
      'disable-ignore-pragma:',
      'strict-labels:',
      'format:',
      'no-color:',
      'verbose:',
    ].join('\n');
    const result = await lintWithHadolintConfig(`${config}\n`);
    // Then the run reads the rest: DL3047 raised to warning, DL4006 at its default, DL3026 off, the default threshold
    expect(result).toEqual({
      codes: ['DF224', 'DF236'],
      severities: { DF224: 'warning', DF236: 'warning' },
      exitCode: 1,
    });
    // And an empty override is no override
    expect((await lintWithHadolintConfig('override:\n')).codes).toEqual(['DF224', 'DF236']);
  });
});

describe('.hadolint.yaml label-schema, strict-labels and DL1001', () => {
  const LABELLED = [
    'FROM golang:1.22 AS build', // 1: only copied from, exempt from DL3049
    'RUN go build -o /out/app .',
    'FROM debian:12', // 3 DL3049 (source missing)
    '# hadolint ignore=DL3008', // 4 DL1001 when enabled
    'RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
    'LABEL version="v1" created="yesterday" license="Apache 2" revision="main" authors="Jane" extra=x empty=""', // 6
    'COPY --from=build /out/app /usr/local/bin/app',
  ].join('\n');
  const SCHEMA = [
    'label-schema:',
    '  version: semver',
    '  created: rfc3339',
    '  license: spdx',
    '  revision: hash',
    '  authors: email',
    '  source: url',
    '  empty: text',
  ].join('\n');

  async function lintLabelled(config: string, name = '.hadolint.yaml'): Promise<string[]> {
    writeFileSync(join(dir, 'Dockerfile'), `${LABELLED}\n`);
    writeFileSync(join(dir, name), config);
    const result = await lint({ files: [join(dir, 'Dockerfile')], cwd: dir });
    return result.report.targets
      .flatMap((t) => t.findings)
      .filter((f) => /^DF24\d$/.test(f.code))
      .map((f) => `${f.code}@${f.location.kind === 'dockerfile' ? f.location.line : 0}:${f.severity}`)
      .sort();
  }

  it('label-schema turns the label rules on exactly as hadolint does', async () => {
    // Given a schema naming every type, when the Dockerfile is linted
    const found = await lintLabelled(`${SCHEMA}\n`);
    // Then: source missing in the final stage (DL3049), the empty text label (DL3051), and each badly formatted value
    expect(found).toEqual([
      'DF240@3:info',
      'DF242@6:warning',
      'DF244@6:warning',
      'DF245@6:warning',
      'DF246@6:warning',
      'DF247@6:warning',
      'DF248@6:warning',
    ]);
  });

  it('strict-labels adds DL3050; override turns DL1001 on; without a schema the label rules stay off', async () => {
    expect(await lintLabelled(`${SCHEMA}\nstrict-labels: true\noverride:\n  error: [DL1001]\n`)).toEqual([
      'DF240@3:info',
      'DF241@6:info',
      'DF242@6:warning',
      'DF244@6:warning',
      'DF245@6:warning',
      'DF246@6:warning',
      'DF247@6:warning',
      'DF248@6:warning',
      'DF249@4:error',
    ]);
    expect(await lintLabelled('failure-threshold: error\n')).toEqual([]);
  });

  it('.ballast.yaml labelSchema / strictLabels and rule options do the same', async () => {
    const config = [
      'labelSchema:',
      '  version: semver',
      '  source: url',
      'strictLabels: true',
      'rules:',
      '  DL1001: warning',
      '  label-invalid-semver:',
      '    options: { labelSchema: { created: semver } }',
    ].join('\n');
    // version is checked by every label rule except DF247, whose own options check only `created` (not a semver either)
    expect(await lintLabelled(`${config}\n`, '.ballast.yaml')).toEqual([
      'DF240@3:info',
      'DF241@6:info',
      'DF247@6:warning',
      'DF249@4:warning',
    ]);
  });

  it('an unknown label type fails with its key path', async () => {
    await expect(lintLabelled('label-schema:\n  version: semverr\n')).rejects.toThrow(
      /label-schema\.version must be one of text, url, semver, hash, rfc3339, spdx, email/,
    );
    await expect(lintLabelled('labelSchema: [version]\n', '.ballast.yaml')).rejects.toThrow(
      /labelSchema must map label names to a type/,
    );
  });
});
