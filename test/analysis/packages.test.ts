// Packages by size from the package databases in the image; bytes are those of the files as they end up in the
// final filesystem (a file deleted later counts 0).
import { analyze } from '../../src/services/analyze.js';
import { WHITEOUT, buildOciLayout, layer } from '../helpers/image-builder.js';

describe('packages', () => {
  it('reads dpkg, apk, Python RECORD and node_modules package.json', async () => {
    const built = await buildOciLayout([
      layer({
        'var/lib/dpkg/status':
          'Package: curl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 7.88\n\nPackage: gone\nStatus: deinstall ok config-files\nVersion: 1\n',
        'var/lib/dpkg/info/curl:amd64.list': '/.\n/usr\n/usr/bin/curl\n/usr/share/doc/curl/copyright\n',
        'usr/bin/curl': 3000,
        'usr/share/doc/curl/copyright': 200,
        'lib/apk/db/installed': 'P:musl\nV:1.2.4\nF:lib\nR:ld-musl.so.1\n\nP:busybox\nV:1.36\nF:bin\nR:busybox\n',
        'lib/ld-musl.so.1': 700,
        'bin/busybox': 900,
        'usr/lib/python3/site-packages/requests-2.31.0.dist-info/RECORD':
          'requests/__init__.py,sha256=x,500\nrequests/api.py,,\nrequests-2.31.0.dist-info/RECORD,,\n',
        'usr/lib/python3/site-packages/requests/__init__.py': 500,
        'usr/lib/python3/site-packages/requests/api.py': 300,
        'app/node_modules/left-pad/package.json': JSON.stringify({ name: 'left-pad', version: '1.3.0' }),
        'app/node_modules/left-pad/index.js': 400,
        'app/node_modules/@scope/x/package.json': JSON.stringify({ name: '@scope/x', version: '2.0.0' }),
        'app/node_modules/@scope/x/node_modules/y/package.json': JSON.stringify({ name: 'y', version: '0.1.0' }),
        'app/node_modules/@scope/x/node_modules/y/big.js': 10_000,
      }),
      layer({ 'usr/share/doc/curl/.wh.copyright': WHITEOUT }),
    ]);
    try {
      const r = await analyze({ image: built.path, workers: 0 });
      const by = (name: string) => r.packages.top.find((p) => p.name === name);
      expect(by('curl')).toMatchObject({ manager: 'dpkg', version: '7.88', files: 1, bytes: 3000 });
      expect(by('gone')).toBeUndefined();
      expect(by('busybox')).toMatchObject({ manager: 'apk', bytes: 900 });
      expect(by('musl')).toMatchObject({ manager: 'apk', bytes: 700 });
      const requests = by('requests')!;
      expect(requests).toMatchObject({ manager: 'python', version: '2.31.0', files: 3 });
      expect(requests.bytes).toBe(
        500 +
          300 +
          Buffer.byteLength(
            'requests/__init__.py,sha256=x,500\nrequests/api.py,,\nrequests-2.31.0.dist-info/RECORD,,\n',
          ),
      );
      // nested node_modules are packages of their own: their bytes are not the parent's
      expect(by('y')).toMatchObject({
        manager: 'node',
        bytes: 10_000 + Buffer.byteLength(JSON.stringify({ name: 'y', version: '0.1.0' })),
      });
      expect(by('@scope/x')!.bytes).toBe(Buffer.byteLength(JSON.stringify({ name: '@scope/x', version: '2.0.0' })));
      expect(r.packages.totals.dpkg).toEqual({ packages: 1, bytes: 3000 });
      expect(r.packages.unsupported).toEqual([]);
    } finally {
      built.cleanup();
    }
  });
});
