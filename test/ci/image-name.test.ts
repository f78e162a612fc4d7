// The image as ci and the markdown reports name it is the argument that opens it again: `host/app@sha256:…` for an
// image pulled by digest (its reference holds the digest), `demo.tar:app:1.0` for an image inside an archive.
import { resolve } from 'node:path';
import { imageNames } from '../../src/services/ci.js';
import { runCli } from '../helpers/cli.js';
import { skopeoCopy, startRegistry } from '../helpers/registry.js';
import { imageArgument } from '../../src/report/image-name.js';

const DEMO = resolve('examples/demo/demo.tar');

describe('imageArgument', () => {
  it.each([
    [{ reference: 'ghcr.io/o/app', tag: 'v1.2' }, 'ghcr.io/o/app:v1.2'],
    [
      { reference: '127.0.0.1:5000/o/app', tag: `@sha256:${'a'.repeat(64)}` },
      `127.0.0.1:5000/o/app@sha256:${'a'.repeat(64)}`,
    ],
    // Pulled by digest: the reference holds the digest, and a tag written beside it goes before it.
    [
      { reference: `127.0.0.1:5000/o/app@sha256:${'a'.repeat(64)}`, tag: null },
      `127.0.0.1:5000/o/app@sha256:${'a'.repeat(64)}`,
    ],
    [
      { reference: `127.0.0.1:5000/o/app@sha256:${'a'.repeat(64)}`, tag: '1.2' },
      `127.0.0.1:5000/o/app:1.2@sha256:${'a'.repeat(64)}`,
    ],
    [{ reference: 'demo.tar', tag: 'docker.io/library/demo:latest' }, 'demo.tar:docker.io/library/demo:latest'],
    // The second image of an archive without tags: the selector is `@1`.
    [{ reference: 'bundle.tar', tag: '@1' }, 'bundle.tar:@1'],
    [{ reference: 'layout', tag: null }, 'layout'],
    // A daemon's image: the reference reads it from the daemon again; the tag is the daemon's name for it.
    [{ reference: 'docker-daemon:hello-world', tag: 'hello-world:latest' }, 'docker-daemon:hello-world'],
    [{ reference: 'podman:app:1', tag: 'localhost/app:1' }, 'podman:app:1'],
  ])('%j is %s', (image, name) => {
    expect(imageArgument(image)).toBe(name);
  });
});

describe('imageNames', () => {
  it('tries ci.images patterns on a pinned registry image by its repository and tag, without the digest', () => {
    const pinned = `127.0.0.1:5000/o/app@sha256:${'a'.repeat(64)}`;
    const argument = `docker://127.0.0.1:5000/o/app:1.2@sha256:${'a'.repeat(64)}`;
    expect(imageNames(argument, { source: 'registry', name: pinned, tag: '1.2' })).toEqual([
      argument,
      argument.slice('docker://'.length),
      pinned,
      '127.0.0.1:5000/o/app',
      '127.0.0.1:5000/o/app:1.2',
    ]);
  });
});

describe('ci of an image pulled by digest', () => {
  it('names it host/repo@sha256:… in the text and markdown reports, and that name opens it', async () => {
    const registry = await startRegistry();
    try {
      await skopeoCopy(`docker-archive:${DEMO}`, `docker://${registry.host}/o/app:1`);
      const inspected = await runCli(['inspect', `${registry.host}/o/app:1`, '--json']);
      expect(inspected.code).toBe(0);
      const digest = (JSON.parse(inspected.stdout) as { digest: string }).digest;
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      const pinned = `${registry.host}/o/app@${digest}`;
      const text = await runCli(['ci', pinned, '--no-cache', '--workers', '0']);
      expect(text.code).toBe(0);
      // stderr holds the gate's notes only (no config here, and the repository's Dockerfile not used)
      expect(text.stderr.trim().split('\n')).toEqual(
        expect.arrayContaining([
          'note: no .ballast.yaml or .dive-ci found: only the failOn check and flag budgets apply',
        ]),
      );
      expect(text.stderr).not.toMatch(/^(?!note: )./m);
      expect(text.stdout.split('\n')[0]).toBe(`PASS ${pinned}, linux/amd64: no budget set; failOn met`);
      const markdown = await runCli(['ci', pinned, '--no-cache', '--format', 'markdown']);
      expect(markdown.stdout.split('\n')[0]).toBe(`### ballast ci: passed for \`${pinned}\`, linux/amd64`);
      const analyzed = await runCli(['analyze', pinned, '--no-cache', '--format', 'markdown']);
      expect(analyzed.stdout.split('\n')[0]).toBe(`### ballast analyze: \`${pinned}\``);
    } finally {
      await registry.stop();
    }
  }, 120_000);
});
