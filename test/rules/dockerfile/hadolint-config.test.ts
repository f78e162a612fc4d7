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

async function lintWithHadolintConfig(config: string): Promise<{ codes: string[]; severities: Record<string, string>; exitCode: number }> {
  writeFileSync(join(dir, 'Dockerfile'), `${DOCKERFILE}\n`);
  writeFileSync(join(dir, '.hadolint.yaml'), config);
  const result = await lint({ files: [join(dir, 'Dockerfile')], cwd: dir });
  const findings = result.report.targets.flatMap((t) => t.findings).filter((f) => /^DF2\d\d$/.test(f.code));
  return { codes: findings.map((f) => f.code).sort(), severities: Object.fromEntries(findings.map((f) => [f.code, f.severity])), exitCode: result.exitCode };
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
    const { codes, severities } = await lintWithHadolintConfig('ignored:\n  - DL3047\noverride:\n  error:\n    - DL4006\n');
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
});
