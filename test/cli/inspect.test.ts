// `ballast inspect` end to end, through the real executable.
import { runCli } from '../helpers/cli.js';

describe('ballast inspect', () => {
  it('prints the documented JSON for the demo image', async () => {
    const { code, stdout, stderr } = await runCli(['inspect', 'examples/demo/demo.tar', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      source: 'docker-archive',
      reference: 'examples/demo/demo.tar',
      tag: 'docker.io/library/ballast-demo:latest',
      digest: null,
      platform: { os: 'linux', architecture: 'amd64', variant: null },
      config: { user: '1000', cmd: ['/app/run.sh'] },
    });
    expect(result.layers).toHaveLength(6);
    for (const layer of result.layers) {
      expect(Object.keys(layer)).toEqual(
        expect.arrayContaining(['index', 'digest', 'diffId', 'mediaType', 'compressedBytes', 'createdBy']),
      );
      expect(layer.createdBy).not.toMatch(/#\(nop\)/);
    }
    expect(result.layers[4].createdBy).toBe('RUN chmod -R 0755 /app');
    expect(result.history.length).toBeGreaterThanOrEqual(result.layers.length);
  });

  it('prints a table for people, without colour when NO_COLOR is set', async () => {
    const { code, stdout } = await runCli(['inspect', 'test/fixtures/dive/test-oci-gzip-image.tar']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Platform\s+linux\/arm64/);
    expect(stdout).toMatch(/oci tar\+gzip/);
    expect(stdout).not.toContain('\u001b[');
  });

  it('fails bad input with exit code 2 and one line, no stack trace', async () => {
    const { code, stdout, stderr } = await runCli(['inspect', 'test/fixtures/formats/ggcr/tarball/null_manifest.tar']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^error: .*null_manifest\.tar has a manifest\.json that lists no image.*\(hint: /);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('fails unknown flags and missing arguments with exit code 2', async () => {
    const unknown = await runCli(['inspect', 'examples/demo/demo.tar', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    const missing = await runCli(['inspect']);
    expect(missing.code).toBe(2);
    const platform = await runCli(['inspect', 'examples/demo/demo.tar', '--platform', 'linux']);
    expect(platform.code).toBe(2);
    expect(platform.stderr).toMatch(/invalid platform "linux"/);
  });

  it('has help with examples, and a version', async () => {
    const help = await runCli(['inspect', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/EXAMPLES/);
    expect(help.stdout).toMatch(/ballast inspect examples\/demo\/demo\.tar/);
    const root = await runCli(['--help']);
    expect(root.stdout).toMatch(/inspect/);
    const version = await runCli(['--version']);
    expect(version.stdout).toMatch(/^ballast\/\d+\.\d+\.\d+/);
  });
});
