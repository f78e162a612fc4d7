// `ballast bases` on a base named as podman and buildah name their local storage (`localhost/NAME`): there is no
// registry behind such a name, so the error says where the name comes from instead of "is the registry running?".
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { buildOciLayout, layer } from '../helpers/image-builder.js';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ballast-bases-local-'));
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('ballast bases on a localhost/ base', () => {
  it("says a Dockerfile's FROM localhost/NAME is in podman or buildah storage, and asks for --base", async () => {
    // Given a Dockerfile built with buildah on a base from its local storage, as the corpus images are.
    const dockerfile = join(work, 'Dockerfile');
    await writeFile(dockerfile, 'FROM localhost/corpus/debian-base:latest\nRUN apt-get install -y curl\n');
    const { code, stdout, stderr } = await runCli(
      ['bases', '--dockerfile', dockerfile, '--no-cache', '--timeout', '5'],
      {
        timeoutMs: 30_000,
      },
    );
    expect(stdout).toBe('');
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^error: the final FROM of .*Dockerfile \(line 1\) is localhost\/corpus\/debian-base:latest, a name podman and buildah give images in their local storage; its tags cannot be listed \(hint: pass the registry reference the base came from with --base REF/,
    );
  });

  it('says an image recording an empty base name (buildah, FROM scratch) has no base to replace', async () => {
    // Given an image built FROM scratch by buildah, which records the base name as "".
    const root = await buildOciLayout([layer({ 'bin/sh': 1000 }, 'ADD rootfs.tar /')], {
      annotations: { 'org.opencontainers.image.base.name': '' },
    });
    try {
      const { code, stdout, stderr } = await runCli(['bases', root.path, '--no-cache']);
      expect(stdout).toBe('');
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          /^error: .* records an empty base name \(org\.opencontainers\.image\.base\.name\): it was built FROM scratch, so there is no base to replace \(hint: /,
        ),
      ]);
    } finally {
      root.cleanup();
    }
  });
});
