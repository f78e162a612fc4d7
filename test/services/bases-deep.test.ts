// `ballast bases --deep` on local OCI layouts (no registry): what the walk of the files tells, above the name.
import { bases, type BasesOptions } from '../../src/services/bases.js';
import { buildOciLayout, layer, symlink, type BuiltImage } from '../helpers/image-builder.js';

describe('bases --deep reads the traits from the files', () => {
  const built: BuiltImage[] = [];
  afterAll(() => built.forEach((b) => b.cleanup()));

  const options = (images: string[]): BasesOptions => ({
    images,
    deep: true,
    noCache: true,
    builtinFamilies: false,
    configPath: undefined,
    workers: 1,
  });

  it('takes the OS from os-release and the libc from the loader, not from the name', async () => {
    // Given an image whose name and metadata say nothing, holding Alpine's os-release and musl's loader, and one whose
    // /etc/os-release is the usual link to /usr/lib/os-release, with glibc's loader under a merged /usr
    const alpine = await buildOciLayout([
      layer({
        'etc/os-release': 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\n',
        'lib/ld-musl-x86_64.so.1': 20_000,
        'bin/sh': 1_000,
      }),
    ]);
    const debian = await buildOciLayout([
      layer({
        'usr/lib/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID="debian"\n',
        'etc/os-release': symlink('../usr/lib/os-release'),
        'usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2': 20_000,
        lib64: symlink('usr/lib64'),
        'usr/lib64/ld-linux-x86-64.so.2': symlink('../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2'),
      }),
    ]);
    built.push(alpine, debian);
    // When ballast bases walks them side by side
    const result = await bases(options([`oci:${alpine.path}`, `oci:${debian.path}`]));
    // Then the OS and libc are read from the files, not guessed
    const [a, d] = result.candidates;
    expect(a).toMatchObject({ os: { value: 'alpine', source: 'files' }, libc: { value: 'musl', source: 'files' } });
    expect(d).toMatchObject({ os: { value: 'debian', source: 'files' }, libc: { value: 'glibc', source: 'files' } });
  });

  it('claims no OS or libc the files do not show', async () => {
    // Given images with neither an os-release nor a loader, whose names say nothing either
    const image = await buildOciLayout([layer({ 'app/server': 5_000 })]);
    built.push(image);
    const other = await buildOciLayout([layer({ 'app/other': 5_000 })]);
    built.push(other);
    // When ballast bases walks it
    const result = await bases(options([`oci:${image.path}`, `oci:${other.path}`]));
    // Then what the files do not tell stays as it was (nothing read, nothing claimed)
    expect(result.candidates[0].os).toBeNull();
    expect(result.candidates[0].libc).toBeNull();
  });
});
