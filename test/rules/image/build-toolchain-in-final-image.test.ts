import { rule } from '../../../rules/image/build-toolchain-in-final-image.js';
import { layer, symlink } from '../../helpers/image-builder.js';
import { runImageRuleTests } from './tester.js';

const status = (names: string[]) =>
  names.map((n) => `Package: ${n}\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0\n`).join('\n');

/** dpkg status stanzas with Depends lines: name -> its Depends field ('' for none). */
const statusWith = (deps: Record<string, string>) =>
  Object.entries(deps)
    .map(
      ([n, d]) =>
        `Package: ${n}\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0\n${d ? `Depends: ${d}\n` : ''}`,
    )
    .join('\n');
const extendedStates = (auto: string[]) =>
  auto.map((n) => `Package: ${n}\nArchitecture: amd64\nAuto-Installed: 1\n`).join('\n');
/** The .list file and one file of `bytes` for each package. */
const files = (sizes: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(sizes).flatMap(([n, size]) => [
      [`var/lib/dpkg/info/${n}.list`, `/usr/lib/${n}/data\n`],
      [`usr/lib/${n}/data`, size],
    ]),
  );

// A base with a runtime library, then one layer: `apt-get install build-essential` (everything it pulls in
// marked auto), a runtime package the user asked for that shares a dependency with gcc, and a leftover auto
// package that nothing needs any more (autoremove would take it, but not because of the toolchain).
const base = layer({ 'var/lib/dpkg/status': statusWith({ libc6: '' }), ...files({ libc6: 3000 }) });
const install = layer(
  {
    'var/lib/dpkg/status': statusWith({
      libc6: '',
      'build-essential': 'gcc, make, libc6-dev',
      gcc: 'gcc-12',
      'gcc-12': 'cpp-12, libisl23, libc6',
      'cpp-12': 'libisl23',
      libisl23: 'libc6',
      make: '',
      'libc6-dev': 'libc6, libcrypt-dev',
      'libcrypt-dev': '',
      postgresql: 'libisl23',
      leftover: '',
    }),
    'var/lib/apt/extended_states': extendedStates([
      'gcc',
      'gcc-12',
      'cpp-12',
      'libisl23',
      'make',
      'libc6-dev',
      'libcrypt-dev',
      'leftover',
    ]),
    ...files({
      'build-essential': 10,
      gcc: 100,
      'gcc-12': 50_000,
      'cpp-12': 20_000,
      libisl23: 7_000,
      make: 300,
      'libc6-dev': 4_000,
      'libcrypt-dev': 600,
      postgresql: 9_000,
      leftover: 5_000,
    }),
    'usr/bin/gcc': 1,
  },
  '/bin/sh -c apt-get install -y build-essential postgresql',
);

runImageRuleTests(rule, {
  valid: [
    {
      name: 'runtime packages only',
      layers: [
        layer({
          'var/lib/dpkg/status': status(['libc6']),
          'var/lib/dpkg/info/libc6:amd64.list': '/usr/lib/libc.so.6\n',
          'usr/lib/libc.so.6': 2000,
        }),
      ],
    },
    {
      name: 'auto-installed packages without a toolchain',
      layers: [
        layer({
          'var/lib/dpkg/status': statusWith({ curl: 'libcurl4', libcurl4: '' }),
          'var/lib/apt/extended_states': extendedStates(['libcurl4']),
          ...files({ curl: 100, libcurl4: 1000 }),
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'gcc and make installed',
      layers: [
        layer({
          'var/lib/dpkg/status': status(['gcc-12', 'make']),
          'var/lib/dpkg/info/gcc-12:amd64.list': '/usr/bin/gcc-12\n/usr/lib/gcc/cc1\n',
          'var/lib/dpkg/info/make.list': '/usr/bin/make\n',
          'usr/bin/gcc-12': 1000,
          'usr/lib/gcc/cc1': 5000,
          'usr/bin/make': 300,
        }),
      ],
      errors: [{ messageId: 'toolchain', layerIndex: 0, bytes: 6300, message: '`gcc-12`, `make`' }],
    },
    {
      name: 'make alone: one package, counted in the singular',
      layers: [
        layer({
          'var/lib/dpkg/status': status(['make']),
          'var/lib/dpkg/info/make.list': '/usr/bin/make\n',
          'usr/bin/make': 300,
        }),
      ],
      errors: [{ messageId: 'toolchain', layerIndex: 0, bytes: 300, message: 'gives back 1 package (300 B' }],
    },
    {
      name: 'build-essential: the tools and every auto package only they pulled in (apt autoremove)',
      layers: [base, install],
      // build-essential 10 + gcc 100 + gcc-12 50,000 + cpp-12 20,000 + make 300 + libc6-dev 4,000 + libcrypt-dev 600;
      // not libisl23 (postgresql, asked for, needs it), libc6 (base, manual) nor leftover (orphaned already).
      errors: [
        {
          messageId: 'toolchain',
          layerIndex: 1,
          bytes: 75_010,
          message:
            'gives back 7 packages (75.0 kB; largest: `gcc-12` 50.0 kB, `cpp-12` 20.0 kB, `libc6-dev` 4.00 kB, `libcrypt-dev` 600 B, `make` 300 B)',
        },
      ],
    },
    {
      name: 'files listed under /lib are found under a merged /usr',
      layers: [
        layer({ lib: symlink('usr/lib') }),
        layer({
          'var/lib/dpkg/status': statusWith({ 'libgcc-12-dev': 'libasan8, libubsan1', libasan8: '', libubsan1: '' }),
          'var/lib/apt/extended_states': extendedStates(['libasan8', 'libubsan1']),
          'var/lib/dpkg/info/libgcc-12-dev:amd64.list': '/usr/lib/gcc/x86_64-linux-gnu/12/libgcc.a\n',
          'var/lib/dpkg/info/libasan8:amd64.list': '/lib/x86_64-linux-gnu/libasan.so.8\n',
          'var/lib/dpkg/info/libubsan1:amd64.list':
            '/lib/x86_64-linux-gnu/libubsan.so.1\n/usr/lib/x86_64-linux-gnu/libubsan.so.1\n',
          'usr/lib/gcc/x86_64-linux-gnu/12/libgcc.a': 2_000,
          'usr/lib/x86_64-linux-gnu/libasan.so.8': 8_000,
          'usr/lib/x86_64-linux-gnu/libubsan.so.1': 700,
        }),
      ],
      // libasan8's file only by its /lib path; libubsan1's counted once although its list names it by both paths
      errors: [{ messageId: 'toolchain', bytes: 10_700, message: '3 packages' }],
    },
    {
      name: 'apk: build-base and what only it pulled in, not what the world file still needs',
      layers: [
        layer({
          'etc/apk/world': 'busybox\nbuild-base\n',
          'lib/apk/db/installed': [
            'P:busybox\nV:1.36-r0\nD:so:libc.musl-x86_64.so.1\nF:bin\nR:busybox',
            'P:musl\nV:1.2-r0\np:so:libc.musl-x86_64.so.1=1\nF:lib\nR:ld-musl-x86_64.so.1',
            'P:build-base\nV:0.5-r3\nD:gcc make musl-dev',
            'P:gcc\nV:13.2-r0\nD:so:libgmp.so.10 so:libc.musl-x86_64.so.1\nF:usr/bin\nR:gcc',
            'P:gmp\nV:6.3-r0\np:so:libgmp.so.10=10.5\nF:usr/lib\nR:libgmp.so.10',
            'P:make\nV:4.4-r0\nF:usr/bin\nR:make',
            'P:musl-dev\nV:1.2-r0\nD:musl\nF:usr/lib\nR:libc.a',
          ].join('\n\n'),
          'bin/busybox': 800,
          'lib/ld-musl-x86_64.so.1': 600,
          'usr/bin/gcc': 30_000,
          'usr/lib/libgmp.so.10': 500,
          'usr/bin/make': 200,
          'usr/lib/libc.a': 1_000,
        }),
      ],
      // gcc + make + musl-dev + gmp; build-base owns no files; musl stays for busybox
      errors: [{ messageId: 'toolchain', layerIndex: 0, bytes: 31_700, message: 'gives back 5 packages' }],
    },
  ],
});
