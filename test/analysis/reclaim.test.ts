// What removing packages gives back, on hand-written package databases: apt's autoremove (dpkg status +
// extended_states) and apk's (installed db + world).
import {
  apkGraph,
  dpkgGraph,
  parseDpkgRelations,
  parseExtendedStates,
  parseStanzas,
  reclaimablePackages,
} from '../../src/analysis/reclaim.js';

/** One dpkg status stanza; `fields` are extra lines such as `Depends: a, b | c`. */
const pkg = (name: string, fields: Record<string, string> = {}) =>
  [
    `Package: ${name}`,
    'Status: install ok installed',
    'Architecture: amd64',
    'Version: 1.0',
    ...Object.entries(fields).map(([k, v]) => `${k}: ${v}`),
  ].join('\n');
const status = (...stanzas: string[]) => `${stanzas.join('\n\n')}\n`;
const autoMarks = (...names: string[]) =>
  names.map((n) => `Package: ${n}\nArchitecture: amd64\nAuto-Installed: 1\n`).join('\n');
const sorted = (s: Set<string>) => [...s].sort();

describe('parseDpkgRelations', () => {
  it.each([
    ['', []],
    ['libc6 (>= 2.34)', [['libc6']]],
    ['libc6 (>= 2.34), libgcc-s1 (>= 3.0)', [['libc6'], ['libgcc-s1']]],
    ['gcc-12 | clang, perl:any', [['gcc-12', 'clang'], ['perl']]],
    ['libfoo [amd64] <!nocheck> | libbar (<< 2)', [['libfoo', 'libbar']]],
    ['python3:native (>= 3.11~)', [['python3']]],
  ])('%j', (field, expected) => {
    expect(parseDpkgRelations(field)).toEqual(expected);
  });
});

describe('parseExtendedStates', () => {
  it('takes Auto-Installed: 1 only, whatever the architecture line', () => {
    const text =
      'Package: a\nArchitecture: amd64\nAuto-Installed: 1\n\nPackage: b\nArchitecture: amd64\nAuto-Installed: 0\n\nPackage: c\nAuto-Installed: 1\n';
    expect(sorted(parseExtendedStates(text))).toEqual(['a', 'c']);
    expect(parseExtendedStates(undefined).size).toBe(0);
  });
});

// Each row: a dpkg status, apt's auto marks, what is removed, and what that gives back.
const DPKG_ROWS: { name: string; status: string; auto: string[]; remove: string[]; expected: string[] }[] = [
  {
    name: 'build-essential and everything only it pulled in',
    status: status(
      pkg('libc6'),
      pkg('build-essential', { Depends: 'gcc (>= 4:12), make, libc6-dev | libc-dev' }),
      pkg('gcc', { Depends: 'gcc-12 (>= 12.2.0-1~)' }),
      pkg('gcc-12', { Depends: 'cpp-12 (= 12.2.0-14), binutils (>= 2.40), libc6 (>= 2.36)' }),
      pkg('cpp-12'),
      pkg('binutils', { 'Pre-Depends': 'binutils-common' }),
      pkg('binutils-common'),
      pkg('make'),
      pkg('libc6-dev', { Depends: 'libc6 (= 2.36), linux-libc-dev', Provides: 'libc-dev' }),
      pkg('linux-libc-dev'),
    ),
    auto: ['gcc', 'gcc-12', 'cpp-12', 'binutils', 'binutils-common', 'make', 'libc6-dev', 'linux-libc-dev'],
    remove: ['build-essential'],
    expected: [
      'binutils',
      'binutils-common',
      'build-essential',
      'cpp-12',
      'gcc',
      'gcc-12',
      'libc6-dev',
      'linux-libc-dev',
      'make',
    ],
  },
  {
    name: 'a dependency another manual package still needs stays',
    status: status(pkg('app', { Depends: 'make' }), pkg('gcc', { Depends: 'make, cpp' }), pkg('make'), pkg('cpp')),
    auto: ['make', 'cpp'],
    remove: ['gcc'],
    expected: ['cpp', 'gcc'],
  },
  {
    name: 'manually installed dependencies stay (no Auto-Installed mark)',
    status: status(pkg('gcc', { Depends: 'cpp, binutils' }), pkg('cpp'), pkg('binutils')),
    auto: ['cpp'],
    remove: ['gcc'],
    expected: ['cpp', 'gcc'],
  },
  {
    name: 'no extended_states: only the removed packages',
    status: status(pkg('gcc', { Depends: 'cpp' }), pkg('cpp')),
    auto: [],
    remove: ['gcc'],
    expected: ['gcc'],
  },
  {
    name: 'Recommends keep packages (APT::AutoRemove::RecommendsImportant)',
    status: status(
      pkg('curl', { Recommends: 'ca-certificates' }),
      pkg('gcc', { Depends: 'ca-certificates' }),
      pkg('ca-certificates'),
    ),
    auto: ['ca-certificates'],
    remove: ['gcc'],
    expected: ['gcc'],
  },
  {
    name: 'a virtual package is kept by every installed provider',
    status: status(
      pkg('app', { Depends: 'awk' }),
      pkg('mawk', { Provides: 'awk' }),
      pkg('gawk', { Provides: 'awk (= 5.2)' }),
      pkg('gcc', { Depends: 'gawk' }),
    ),
    auto: ['mawk', 'gawk'],
    remove: ['gcc'],
    expected: ['gcc'],
  },
  {
    name: 'every installed alternative of a | b stays',
    status: status(
      pkg('app', { Depends: 'libfoo | libbar' }),
      pkg('libfoo'),
      pkg('libbar'),
      pkg('gcc', { Depends: 'libbar' }),
    ),
    auto: ['libfoo', 'libbar'],
    remove: ['gcc'],
    expected: ['gcc'],
  },
  {
    name: 'version constraints do not matter for reachability',
    status: status(pkg('app', { Depends: 'libz (>= 99)' }), pkg('libz'), pkg('gcc', { Depends: 'libz' })),
    auto: ['libz'],
    remove: ['gcc'],
    expected: ['gcc'],
  },
  {
    name: 'Essential, Protected and Important packages are never taken, even when marked auto',
    status: status(
      pkg('gcc', { Depends: 'perl-base, init, apt' }),
      pkg('perl-base', { Essential: 'yes' }),
      pkg('init', { Protected: 'yes' }),
      pkg('apt', { Important: 'yes' }),
    ),
    auto: ['perl-base', 'init', 'apt'],
    remove: ['gcc'],
    expected: ['gcc'],
  },
  {
    name: 'dependency cycles among auto packages go together',
    status: status(pkg('gcc', { Depends: 'liba' }), pkg('liba', { Depends: 'libb' }), pkg('libb', { Depends: 'liba' })),
    auto: ['liba', 'libb'],
    remove: ['gcc'],
    expected: ['gcc', 'liba', 'libb'],
  },
  {
    name: 'arch-qualified dependencies (perl:any) and packages not installed',
    status: status(
      pkg('gcc', { Depends: 'perl:any, missing-lib' }),
      pkg('perl'),
      ['Package: removed-one', 'Status: deinstall ok config-files', 'Architecture: amd64'].join('\n'),
    ),
    auto: ['perl', 'removed-one'],
    remove: ['gcc'],
    expected: ['gcc', 'perl'],
  },
  {
    name: 'an auto package that was orphaned already is orphaned either way',
    status: status(pkg('gcc'), pkg('leftover')),
    auto: ['leftover'],
    remove: [],
    expected: ['leftover'],
  },
];

describe('reclaimablePackages: apt autoremove', () => {
  it.each(DPKG_ROWS)('$name', ({ status: text, auto, remove, expected }) => {
    const graph = dpkgGraph(parseStanzas(text), autoMarks(...auto));
    expect(sorted(reclaimablePackages(graph, remove))).toEqual(expected);
  });
});

// apk's installed database: P: name, D: dependencies, p: provides, i: install_if.
const apk = (name: string, lines: string[] = []) =>
  [`C:Q1abc=`, `P:${name}`, 'V:1.0-r0', 'A:x86_64', ...lines].join('\n');
const APK_ROWS: { name: string; installed: string[]; world: string; remove: string[]; expected: string[] }[] = [
  {
    name: 'build-base and what only it pulled in; so: dependencies through p: provides',
    installed: [
      apk('musl', ['p:so:libc.musl-x86_64.so.1=1']),
      apk('busybox', ['D:so:libc.musl-x86_64.so.1', 'p:cmd:sh=1.36']),
      apk('build-base', ['D:binutils file gcc g++ make libc-dev fortify-headers patch']),
      apk('binutils', ['D:so:libc.musl-x86_64.so.1 so:libz.so.1']),
      apk('zlib', ['p:so:libz.so.1=1.3']),
      apk('gcc', ['D:binutils>=2.40 so:libgmp.so.10']),
      apk('gmp', ['p:so:libgmp.so.10=10.5']),
      apk('g++', ['D:gcc=13.2']),
      apk('make'),
      apk('musl-dev', ['D:musl=1.2', 'p:libc-dev=0.7']),
      apk('fortify-headers'),
      apk('patch'),
      apk('file'),
    ],
    world: 'busybox\nbuild-base\n',
    remove: ['build-base'],
    expected: [
      'binutils',
      'build-base',
      'file',
      'fortify-headers',
      'g++',
      'gcc',
      'gmp',
      'make',
      'musl-dev',
      'patch',
      'zlib',
    ],
  },
  {
    name: 'a virtual .build-deps group keeps what it names, except what is removed',
    installed: [apk('.build-deps', ['D:gcc python3']), apk('gcc', ['D:libgcc']), apk('libgcc'), apk('python3')],
    world: '.build-deps\n',
    remove: ['gcc'],
    expected: ['gcc', 'libgcc'],
  },
  {
    name: 'world entries with versions, tags and conflicts',
    installed: [apk('curl'), apk('gcc', ['D:curl']), apk('make')],
    world: 'curl>=8.0 gcc@edge !make\n',
    remove: ['gcc'],
    expected: ['gcc', 'make'],
  },
  {
    name: 'install_if packages go when their condition no longer holds, stay while it does',
    installed: [apk('docs'), apk('gcc'), apk('gcc-doc', ['i:gcc docs']), apk('bash'), apk('bash-doc', ['i:bash docs'])],
    world: 'docs bash gcc\n',
    remove: ['gcc'],
    expected: ['gcc', 'gcc-doc'],
  },
];

describe('reclaimablePackages: apk del', () => {
  it.each(APK_ROWS)('$name', ({ installed, world, remove, expected }) => {
    const graph = apkGraph(`${installed.join('\n\n')}\n\n`, world);
    expect(sorted(reclaimablePackages(graph, remove))).toEqual(expected);
  });
});
