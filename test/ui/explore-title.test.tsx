// explore's title line names the image as analyze's header does: an archive or layout with the tag chosen inside it in
// brackets, a registry image by its reference with the tag where it was typed (`host/app:1`, not `host/app (1)`).
import { titleLine } from '../../src/ui/explore/ExploreApp.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('explore title line', () => {
  it.each([
    [{ reference: 'demo.tar', tag: 'ballast-demo:latest', source: 'docker-archive' }, 'demo.tar (ballast-demo:latest)'],
    [{ reference: 'layout', tag: null, source: 'oci-layout' }, 'layout'],
    [{ reference: '127.0.0.1:5000/slim', tag: '1', source: 'registry' }, '127.0.0.1:5000/slim:1'],
    [{ reference: `127.0.0.1:5000/slim@${DIGEST}`, tag: '1', source: 'registry' }, `127.0.0.1:5000/slim:1@${DIGEST}`],
    [{ reference: `127.0.0.1:5000/slim@${DIGEST}`, tag: null, source: 'registry' }, `127.0.0.1:5000/slim@${DIGEST}`],
  ])('%j is titled %s', (image, shown) => {
    expect(titleLine({ ...image, platform: 'linux/amd64' }, '', 200)).toBe(`ballast explore  ${shown}  linux/amd64`);
  });
});
