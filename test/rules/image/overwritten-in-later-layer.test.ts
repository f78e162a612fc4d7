import { rule } from '../../../rules/image/overwritten-in-later-layer.js';
import { file, layer } from '../../helpers/image-builder.js';
import { runImageRuleTests } from './tester.js';

// A layer's package state named by the package database in it, not by a larger file beside it (debconf's templates,
// apk's scripts, dnf's log). [package manager, its database, a larger state file]
const PACKAGE_DATABASES = [
  ['dpkg', 'var/lib/dpkg/status', 'var/cache/debconf/templates.dat'],
  ['apk', 'lib/apk/db/installed', 'lib/apk/db/scripts.tar'],
  ['rpm', 'var/lib/rpm/rpmdb.sqlite', 'var/log/dnf.librepo.log'],
  ['rpm (sysimage)', 'usr/lib/sysimage/rpm/rpmdb.sqlite', 'var/log/dnf.rpm.log'],
];

runImageRuleTests(rule, {
  valid: [
    {
      name: 'same content again is not this rule (IM005)',
      layers: [layer({ m: file('abc') }), layer({ m: file('abc', { mode: 0o600 }) })],
    },
    {
      name: 'the base image package database rewritten by an install is nothing the Dockerfile can avoid',
      layers: [
        layer({ 'var/lib/dpkg/status': file('base'), 'etc/ld.so.cache': file('b'), 'etc/passwd': file('root') }),
        layer({ 'var/lib/dpkg/status': file('base+curl'), 'etc/ld.so.cache': file('bc'), 'etc/passwd': file('r+a') }),
      ],
    },
    {
      // Cache, not content to write once: IM002 reports every layer's copy with `apt-get clean`.
      name: "apt's pkgcache.bin and srcpkgcache.bin rebuilt by every install step",
      layers: [
        layer({ 'bin/sh': file('sh') }),
        layer({ 'var/cache/apt/pkgcache.bin': file('one'), 'var/cache/apt/srcpkgcache.bin': file('one') }),
        layer({ 'var/cache/apt/pkgcache.bin': file('one+two'), 'var/cache/apt/srcpkgcache.bin': file('one+two') }),
      ],
    },
  ],
  invalid: [
    {
      name: 'package state rewritten by a second install step: merge the installs',
      layers: [
        layer({ 'bin/sh': file('sh') }),
        layer({ 'var/lib/dpkg/status': file('one'), 'var/log/dpkg.log': file('1'), 'etc/passwd': file('r') }),
        layer({ 'var/lib/dpkg/status': file('one+two'), 'var/log/dpkg.log': file('12'), 'etc/passwd': file('ra') }),
      ],
      errors: [
        {
          messageId: 'rewritten',
          layerIndex: 1,
          path: '/var/lib/dpkg/status',
          // Named by its largest file, which changes as sizes do: CI fingerprints know it by its group.
          group: 'systemState',
          bytes: 5,
          message: 'rewrites 3 files (5 B) such as `/var/lib/dpkg/status` from layer 1: package-manager',
        },
      ],
    },
    ...PACKAGE_DATABASES.map(([manager, database, larger]) => ({
      name: `${manager} state rewritten by a second install step is named by its package database`,
      layers: [
        layer({ 'bin/sh': file('sh') }),
        layer({ [database]: file('one'), [larger]: file('larger'), 'etc/passwd': file('r') }),
        layer({ [database]: file('one+two'), [larger]: file('larger+two'), 'etc/passwd': file('ra') }),
      ],
      errors: [
        {
          messageId: 'rewritten',
          layerIndex: 1,
          path: `/${database}`,
          // The same group (and layers) as when it was named by its largest file: CI fingerprints do not change.
          group: 'systemState',
          bytes: 10,
          message: `rewrites 3 files (10 B) such as \`/${database}\` from layer 1: package-manager`,
        },
      ],
    })),
    {
      name: "debconf's database rewritten with the same bytes by a second install: merge the installs",
      layers: [
        layer({ 'bin/sh': file('sh') }),
        layer({ 'var/cache/debconf/config.dat': file('config'), 'etc/ld.so.cache': file('one') }),
        layer({ 'var/cache/debconf/config.dat': file('config'), 'etc/ld.so.cache': file('one+two') }),
      ],
      errors: [
        {
          messageId: 'rewritten',
          layerIndex: 1,
          path: '/var/cache/debconf/config.dat',
          group: 'systemState',
          bytes: 9,
          message: 'rewrites 2 files (9 B) such as `/var/cache/debconf/config.dat` from layer 1: package-manager',
        },
      ],
    },
    {
      name: 'files that share no directory are grouped by a directory that says where they are',
      layers: [
        layer({ 'var/cache/man/index.db': file('aaaa'), 'opt/tool/x': file('a') }),
        layer({ 'var/cache/man/index.db': file('bbbbb'), 'opt/tool/x': file('bb') }),
      ],
      errors: [
        { messageId: 'overwritten', layerIndex: 0, path: '/var/cache/man/index.db', bytes: 4 },
        { messageId: 'overwritten', layerIndex: 0, path: '/opt/tool/x', bytes: 1 },
      ],
    },
    {
      name: 'a model regenerated with new content',
      layers: [layer({ 'app/model.bin': file('first version') }), layer({ 'app/model.bin': file('second version!') })],
      errors: [{ messageId: 'overwritten', layerIndex: 0, path: '/app/model.bin', bytes: 13 }],
    },
    {
      name: 'a count in the thousands is written as the reports write counts',
      layers: [
        layer(Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`d/f${i}`, file('a')]))),
        layer(Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`d/f${i}`, file('b')]))),
      ],
      errors: [
        { messageId: 'overwritten', layerIndex: 0, path: '/d', bytes: 1200, message: 'overwrites 1,200 files under' },
      ],
    },
  ],
});
