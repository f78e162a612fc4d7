// `analyze --base IMAGE` counts as base the layers the image shares with IMAGE from the bottom up. A --base the image
// is not built on (another image, or a tag rebuilt since the build) used to pass in silence: "0 base" or a short base,
// with the base's bytes counted as the user's in every budget on "your layers". It is now a note on stderr.
import { runCli } from '../helpers/cli.js';
import { buildOciLayout, layer, type BuiltImage } from '../helpers/image-builder.js';

const rootfs = layer({ 'bin/sh': 20000, 'etc/os-release': 'ID=test\n' }, 'ADD rootfs.tar /');
const app = layer({ 'app/main': 5000 }, 'COPY main /app');
const other = layer({ 'usr/bin/other': 30000 }, 'ADD other.tar /');

describe('analyze --base', () => {
  const images: BuiltImage[] = [];
  let base: BuiltImage, image: BuiltImage, unrelated: BuiltImage;
  beforeAll(async () => {
    base = await buildOciLayout([rootfs]);
    image = await buildOciLayout([rootfs, app]);
    unrelated = await buildOciLayout([other]);
    images.push(base, image, unrelated);
  });
  afterAll(() => images.forEach((i) => i.cleanup()));

  const analyze = async (img: BuiltImage, baseImage: BuiltImage) => {
    const result = await runCli(['analyze', img.path, '--base', baseImage.path, '--json', '--no-cache']);
    const summary = JSON.parse(result.stdout).summary as { base: { layers: number; source: string } };
    return { code: result.code, stderr: result.stderr, base: summary.base };
  };

  it('says nothing when the image is built on the base', async () => {
    expect(await analyze(image, base)).toEqual({
      code: 0,
      stderr: '',
      base: expect.objectContaining({ layers: 1, source: 'base-image' }),
    });
  });

  it('notes a base that shares no layer with the image, and counts none', async () => {
    const result = await analyze(image, unrelated);
    expect(result.code).toBe(0);
    expect(result.base.layers).toBe(0);
    expect(result.stderr).toBe(
      `note: --base ${unrelated.path} is not this image's base: it shares no layer with this image, so no layer counts as base (another image, or the base rebuilt since?)\n`,
    );
  });

  it('notes a base only partly below the image (here the image is the base of its --base)', async () => {
    const result = await analyze(base, image);
    expect(result.code).toBe(0);
    expect(result.base.layers).toBe(1);
    expect(result.stderr).toBe(
      `note: --base ${image.path} is not this image's base: it shares only its lowest 1 of 2 layers with this image, so 1 layer counts as base (another image, or the base rebuilt since?)\n`,
    );
  });
});
