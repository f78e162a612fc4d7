import { rule } from '../../../rules/image/build-toolchain-in-final-image.js';
import { layer } from '../../helpers/image-builder.js';
import { runImageRuleTests } from './tester.js';

const status = (names: string[]) => names.map((n) => `Package: ${n}\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0\n`).join('\n');

runImageRuleTests(rule, {
  valid: [
    {
      name: 'runtime packages only',
      layers: [layer({ 'var/lib/dpkg/status': status(['libc6']), 'var/lib/dpkg/info/libc6:amd64.list': '/usr/lib/libc.so.6\n', 'usr/lib/libc.so.6': 2000 })],
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
      errors: [{ messageId: 'toolchain', layerIndex: 0, bytes: 6300, message: 'gcc-12, make' }],
    },
  ],
});
