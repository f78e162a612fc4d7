// Tags as versions: parsing the shapes official images use, and choosing one tag per variant by semver.
import {
  closerTag,
  chooseVariantTags,
  isOlderVersion,
  isPrerelease,
  matchVersion,
  parseTag,
  rebuildKeeps,
  variantKey,
  versionFields,
} from '../../../src/analysis/bases/versions.js';

describe('parseTag', () => {
  it.each([
    ['20.11.1-slim', [20, 11, 1], '20.11.1', 'slim', false],
    ['20.11-alpine3.19', [20, 11], '20.11.0', 'alpine3.19', false],
    ['20-slim', [20], '20.0.0', 'slim', false],
    ['3.12.1-slim-bookworm', [3, 12, 1], '3.12.1', 'slim-bookworm', false],
    ['bookworm-slim', [], undefined, 'bookworm-slim', false],
    ['latest', [], undefined, '', false],
    ['20.11.1', [20, 11, 1], '20.11.1', '', false],
    ['17.0.9_9-jre-alpine', [17, 0, 9], '17.0.9', 'jre-alpine', false],
    ['3.13.0rc1-slim', [3, 13, 0], '3.13.0', 'slim', true],
    ['22.0.0-rc.1-alpine', [22, 0, 0], '22.0.0', 'alpine', true],
    ['22-rc-alpine', [22], '22.0.0', 'alpine', true],
    ['22.04', [22, 4], '22.4.0', '', false],
    ['22.04~rc', [22, 4], '22.4.0', '', true],
    ['1.2.0-beta.1', [1, 2, 0], '1.2.0', '', true],
    ['v1.2.3', [1, 2, 3], '1.2.3', '', false],
  ])('%s -> parts %j, version %s, variant %s, prerelease %s', (tag, parts, version, variant, prerelease) => {
    expect(parseTag(tag)).toEqual({ tag, parts, version, variant, prerelease });
  });

  it('drops signature, attestation and SBOM tags', () => {
    expect(parseTag(`sha256-${'a'.repeat(64)}.sig`)).toBeUndefined();
    expect(parseTag(`sha256-${'b'.repeat(64)}.att`)).toBeUndefined();
  });

  it('treats variant words in any order as one variant', () => {
    expect(variantKey('slim-bookworm')).toBe(variantKey('bookworm-slim'));
    expect(variantKey('alpine3.19')).not.toBe(variantKey('alpine'));
  });
});

describe('matchVersion', () => {
  const m = (wanted: string, candidate: string, any = false) =>
    matchVersion(parseTag(wanted)!, parseTag(candidate)!, any);
  it('ranks the same version, its line, and newer versions of the major', () => {
    expect(m('20.11.1', '20.11.1-slim')).toBe('exact');
    expect(m('20.11.1', '20.11-alpine3.19')).toBe('line');
    expect(m('20.11.1', '20-slim')).toBe('line');
    expect(m('20', '20.11.1-slim')).toBe('within');
    expect(m('20.11.1', '20.12.0-slim')).toBe('newer');
  });
  it('never offers an older version, another major, an unversioned tag or a pre-release', () => {
    expect(m('20.11.1', '20.10.0-slim')).toBeUndefined();
    expect(m('20.11.1', '18.19.0-slim')).toBeUndefined();
    expect(m('20.11.1', '22.1.0-slim')).toBeUndefined();
    expect(m('20.11.1', 'bookworm-slim')).toBeUndefined();
    expect(m('20.11.1', '20.12.0rc1-slim')).toBeUndefined();
    expect(m('22.04', '22.04~rc')).toBeUndefined();
    expect(m('1.2.0', '1.2.0-beta.1')).toBeUndefined();
  });
  it('offers other majors, unversioned tags and pre-releases with --any-version', () => {
    expect(m('20.11.1', '18.19.0-slim', true)).toBe('other');
    expect(m('20.11.1', 'bookworm-slim', true)).toBe('other');
    // As a release tag whose image runs a pre-release is (services/bases.ts): the flag lets both in, or neither.
    expect(m('3.13.0', '3.14.0rc1-slim', true)).toBe('other');
  });
  it('matches unversioned tags to an unversioned wanted tag', () => {
    expect(m('latest', 'bookworm-slim')).toBe('exact');
    expect(m('latest', '20-slim')).toBeUndefined();
  });
  it('keeps an unversioned tag to its own release: bookworm-slim is offered bookworm, not sid, bullseye or snapshots', () => {
    expect(m('bookworm-slim', 'bookworm')).toBe('exact');
    expect(m('bookworm', 'bookworm-slim')).toBe('exact');
    for (const other of ['sid', 'sid-slim', 'trixie', 'bullseye-slim', 'stable-slim', 'experimental', 'rc-buggy'])
      expect([other, m('bookworm-slim', other)]).toEqual([other, undefined]);
    expect(m('bookworm-slim', 'bookworm-20240110-slim')).toBeUndefined();
    expect(m('bookworm-20240110', 'bookworm-20240110-slim')).toBe('exact');
    // --any-version still shows them all
    expect(m('bookworm-slim', 'sid', true)).toBe('other');
  });
  it('reads the release wherever it stands in the tag, and a tag naming none as any release', () => {
    // python:bookworm's smaller variants are slim-bookworm and alpine, whatever word comes first
    expect(m('bookworm', 'slim-bookworm')).toBe('exact');
    expect(m('bookworm', 'alpine')).toBe('exact');
    expect(m('slim', 'alpine')).toBe('exact');
    expect(m('slim', 'slim-bookworm')).toBe('exact');
    expect(m('slim-bookworm', 'slim-bullseye')).toBeUndefined();
    expect(m('jammy', 'noble')).toBeUndefined();
    expect(m('rc-buggy', 'experimental')).toBeUndefined();
  });
});

describe('chooseVariantTags', () => {
  it('among tags of one version, takes the one spelled as the wanted tag spells it (22.04-slim, not 22.4-slim)', () => {
    const slim = (wanted: string, listed: string[]) =>
      chooseVariantTags(wanted, listed).find((c) => c.variant === 'slim')!.tag;
    expect(slim('22.04', ['22.04', '22.4-slim', '22.04-slim', 'v22.04-slim'])).toBe('22.04-slim');
    expect(slim('3.12', ['3.12', '03.12-slim', '3.12-slim'])).toBe('3.12-slim');
    expect(slim('v1.2', ['v1.2', '1.2-slim', 'v1.2-slim'])).toBe('v1.2-slim');
  });

  const tags = [
    '20.11.1',
    '20.11.1-slim',
    '20-slim',
    '20.11-slim',
    '20.11-alpine3.19',
    '20-alpine3.19',
    '20.11.1-alpine',
    '20.12.0-bookworm',
    '20.10.0-bullseye',
    '18.19.0-slim',
    '18-alpine',
    '22.1.0-slim',
    'latest',
    'bookworm-slim',
    '20.11.1-slim-bookworm',
    '20-bookworm-slim',
  ];
  it('picks the closest tag of each variant, the wanted one first, and no other major', () => {
    const choices = chooseVariantTags('20.11.1', tags);
    expect(choices.map((c) => [c.tag, c.match])).toEqual([
      ['20.11.1', 'exact'],
      ['20.11.1-alpine', 'exact'],
      ['20.11-alpine3.19', 'line'],
      ['20.12.0-bookworm', 'newer'],
      ['20.11.1-slim', 'exact'],
      ['20.11.1-slim-bookworm', 'exact'],
    ]);
    expect(choices.find((c) => c.tag === '20.11.1-slim')!.alternatives).toEqual([
      '20.11.1-slim',
      '20.11-slim',
      '20-slim',
    ]);
    const offered = choices.flatMap((c) => c.alternatives);
    expect(offered.filter((t) => /^(18|22)|^latest$|^bookworm/.test(t))).toEqual([]);
    expect(offered).not.toContain('20.10.0-bullseye');
  });
  it('offers every major with anyVersion, the newest of each variant', () => {
    const choices = chooseVariantTags('20.11.1', tags, { anyVersion: true });
    expect(choices.find((c) => c.variant === 'alpine')!.tag).toBe('20.11.1-alpine');
    expect(choices.find((c) => c.variant === 'bullseye')).toMatchObject({ tag: '20.10.0-bullseye', match: 'other' });
  });
  it('fills family templates from the version', () => {
    expect(versionFields('20.11.1-slim')).toEqual({ major: '20', minor: '11', version: '20.11.1' });
    expect(versionFields('bookworm')).toEqual({});
  });
});

describe('isOlderVersion', () => {
  it.each([
    ['20.10.0', '20.18.1', true],
    ['v20.10.0', '20.18.1', true],
    ['3.12', '3.12.1', true],
    ['17.0.9+9', '17.0.10+7', true],
    ['20.18.1', '20.18.1', false],
    ['20.19.0', '20.18.1', false],
    ['22.1.0', '20.18.1', false],
    // Nothing to compare: no guess
    ['unknown', '20.18.1', false],
    ['20.10.0', '', false],
    // Pre-releases come before their release: Python's, semver's and Debian's spellings
    ['3.13.0rc1', '3.13.0', true],
    ['3.13.0b2', '3.13.0rc1', true],
    ['3.13.0a1', '3.13.0b1', true],
    ['3.13.0.dev1', '3.13.0a1', true],
    ['3.13.0rc2', '3.13.0rc1', false],
    ['3.13.0', '3.13.0rc1', false],
    ['1.2.0-beta.1', '1.2.0', true],
    ['1.2.0-beta.1', '1.2.0-beta.2', true],
    ['1.2.0-rc.1', '1.2.0-beta.2', false],
    ['22.04~rc', '22.04', true],
    ['22.04', '22.04~rc', false],
    // A variant word after a dash is no pre-release
    ['20.18.1-bookworm', '20.18.1', false],
    ['3.12.1-alpine', '3.12.1', false],
  ])('%s older than %s: %s', (candidate, current, older) => {
    expect(isOlderVersion(candidate, current)).toBe(older);
  });
});

describe('chooseVariantTags on a pre-release', () => {
  it('picks the latest pre-release of a variant, not an earlier one whose name sorts first', () => {
    const chosen = chooseVariantTags('3.13.0rc2', ['3.13.0rc2', '3.13.0rc1-slim', '3.13.0rc2-slim']);
    expect(chosen.find((c) => c.variant === 'slim')?.tag).toBe('3.13.0rc2-slim');
  });
});

describe('isPrerelease', () => {
  it.each([
    ['3.14.0rc1', true],
    ['22.0.0-rc.1', true],
    ['24.04~beta', true],
    ['3.13.0.dev2', true],
    ['3.13.0', false],
    ['20.18.1-bookworm', false],
    ['17.0.9+9', false],
    [undefined, false],
  ])('%s: %s', (version, pre) => {
    expect(isPrerelease(version)).toBe(pre);
  });
});

describe('rebuild revisions', () => {
  it.each([
    ['3.12.1-debian-12-r0', 'debian-12'],
    ['3.12.1-debian-12-r12', 'debian-12'],
    ['3.12.1-debian-12', 'debian-12'],
    ['3.12.1-1', ''],
    ['3.12-slim-bookworm-20240101', 'slim-bookworm'],
    ['20.11-alpine3.19', 'alpine3.19'],
    ['3.12-bookworm', 'bookworm'],
    // A date is the rebuild wherever it stands among the words, as hexpm's and Debian's dated tags place it
    ['bookworm-20240110', 'bookworm'],
    ['bookworm-20240110-slim', 'bookworm-slim'],
    ['3.12-20240101-slim', 'slim'],
    ['3.12-bookworm-20240101-slim', 'bookworm-slim'],
    ['1.16.0-erlang-26.2.1-debian-bookworm-20231009-slim', 'erlang-26.2.1-debian-bookworm-slim'],
  ])('%s is of the variant %j', (tag, variant) => {
    expect(parseTag(tag)?.variant).toBe(variant);
  });

  it('reads a date among the words as the revision', () => {
    expect(parseTag('3.12-20240101-slim')?.revision).toBe(20240101);
    expect(parseTag('bookworm-20240110-slim')?.revision).toBe(20240110);
    expect(parseTag('3.12-debian-12')?.revision).toBeUndefined();
  });

  it('groups tags dated in the middle with their siblings, the newest offered', () => {
    const chosen = chooseVariantTags('3.12-slim', [
      '3.12-slim',
      '3.12-20240101-slim',
      '3.12-20240301-slim',
      '3.12-20240101-alpine',
      '3.12-20240301-alpine',
    ]);
    expect(chosen.map((c) => [c.tag, c.variant])).toEqual([
      ['3.12-slim', 'slim'],
      ['3.12-20240301-alpine', 'alpine'],
    ]);
    // An unversioned dated tag is still offered only the snapshots of its own variants, not one row per date
    const dated = chooseVariantTags('bookworm-20240101-slim', [
      'bookworm-20231201-slim',
      'bookworm-20240101-slim',
      'bookworm-20240301-slim',
      'bookworm-20231201',
      'bookworm-20240301',
    ]);
    expect(dated.map((c) => c.tag)).toEqual(['bookworm-20240101-slim', 'bookworm-20240301-slim', 'bookworm-20240301']);
  });

  it('offers one tag per variant whatever its rebuilds, the newest revision', () => {
    const chosen = chooseVariantTags('3.12.1', [
      '3.12.1',
      '3.12.1-debian-12-r0',
      '3.12.1-debian-12-r10',
      '3.12.1-debian-12-r2',
      '3.12.1-1',
      '3.12.1-3',
      '3.12-slim-bookworm-20240101',
      '3.12-slim-bookworm-20240315',
      '3.12-slim-bookworm-20231201',
    ]);
    expect(chosen.map((c) => [c.tag, c.variant])).toEqual([
      ['3.12.1', ''],
      ['3.12.1-debian-12-r10', 'debian-12'],
      ['3.12-slim-bookworm-20240315', 'slim-bookworm'],
    ]);
  });

  it('keeps the wanted revision as its own variant, and offers the newest rebuild of it beside it', () => {
    const chosen = chooseVariantTags('3.12.1-debian-12-r0', [
      '3.12.1-debian-12-r0',
      '3.12.1-debian-12-r1',
      '3.12.1-debian-12-r10',
      '3.12.1-debian-12-r2',
      '3.12.2-debian-12-r30',
    ]);
    expect(chosen.map((c) => [c.tag, c.rebuildOf])).toEqual([
      ['3.12.1-debian-12-r0', undefined],
      ['3.12.1-debian-12-r10', '3.12.1-debian-12-r0'],
    ]);
    expect(chosen[0].alternatives).toEqual([
      '3.12.1-debian-12-r2',
      '3.12.1-debian-12-r1',
      '3.12.1-debian-12-r0',
      '3.12.2-debian-12-r30',
    ]);
  });

  it.each([
    ['3.12.1-1', ['3.12.1-1', '3.12.1-2', '3.12.1'], '3.12.1-2'],
    [
      '3.12-slim-bookworm-20240101',
      ['3.12-slim-bookworm-20240101', '3.12-bookworm-slim-20240301'],
      '3.12-bookworm-slim-20240301',
    ],
    [
      'bookworm-20240101',
      ['bookworm-20240101', 'bookworm-20240301', 'bookworm-20231201', 'bookworm'],
      'bookworm-20240301',
    ],
    ['3.12.1-debian-12-r2', ['3.12.1-debian-12-r1', '3.12.1-debian-12-r2'], undefined],
    ['3.12.1', ['3.12.1', '3.12.1-1'], undefined],
  ])('on %s, offers the newer rebuild of the tag in use: %j', (wanted, tags, newer) => {
    const chosen = chooseVariantTags(wanted, tags);
    expect(chosen[0].tag).toBe(wanted);
    expect(chosen.find((c) => c.rebuildOf === wanted)?.tag).toBe(newer);
  });
});

describe('an undated tag beside dated snapshots of its variant', () => {
  // The undated tag moves with every rebuild: it is the newest build of the variant, newer than any dated snapshot.
  it('lists the undated tag of an unversioned variant before its dated snapshots', () => {
    const chosen = chooseVariantTags('bookworm-20240101', [
      'bookworm-20231201',
      'bookworm',
      'bookworm-20240101',
      'bookworm-20230601',
    ]);
    expect(chosen.map((c) => c.tag)).toEqual(['bookworm-20240101']);
    expect(chosen[0].alternatives).toEqual(['bookworm', 'bookworm-20240101', 'bookworm-20231201', 'bookworm-20230601']);
  });

  it('lists the undated tag of a versioned variant before its dated snapshots', () => {
    const chosen = chooseVariantTags('3.12-slim', ['3.12-slim-20240101', '3.12-slim', '3.12-slim-20240301']);
    expect(chosen[0].tag).toBe('3.12-slim');
    expect(chosen[0].alternatives).toEqual(['3.12-slim', '3.12-slim-20240301', '3.12-slim-20240101']);
  });

  it('chooses the undated tag of a sibling variant over its dated snapshots', () => {
    const chosen = chooseVariantTags('3.12', [
      '3.12',
      '3.12-slim-20240101',
      '3.12-slim',
      '3.12-slim-20240301',
      '3.12-20240101-alpine',
    ]);
    expect(chosen.map((c) => c.tag)).toEqual(['3.12', '3.12-20240101-alpine', '3.12-slim']);
  });

  it('ranks the bare tag beside numbered rebuilds as the newest too, as it moves to each of them', () => {
    expect(chooseVariantTags('3.12.1', ['3.12.1', '3.12.1-1', '3.12.1-2'])[0].alternatives).toEqual([
      '3.12.1',
      '3.12.1-2',
      '3.12.1-1',
    ]);
  });
});

describe('a bare tag beside numbered rebuilds (Bitnami: 3.12.1-debian-12 tracks the newest -rN)', () => {
  const BITNAMI = [
    '3.12.1-debian-12-r0',
    '3.12.1-debian-12-r1',
    '3.12.1-debian-12-r10',
    '3.12.1-debian-12-r2',
    '3.12.1-debian-12',
  ];

  it.each([
    // wanted, the tag chosen for the debian-12 variant, its alternatives best first
    [
      '3.12.1',
      '3.12.1-debian-12',
      ['3.12.1-debian-12', ...['r10', 'r2', 'r1', 'r0'].map((r) => `3.12.1-debian-12-${r}`)],
    ],
    [
      '3.12.1-debian-12',
      '3.12.1-debian-12',
      ['3.12.1-debian-12', ...['r10', 'r2', 'r1', 'r0'].map((r) => `3.12.1-debian-12-${r}`)],
    ],
    // On an old rebuild the newest one is its own row (below), so the bare tag leads the rest
    [
      '3.12.1-debian-12-r0',
      '3.12.1-debian-12-r0',
      ['3.12.1-debian-12', ...['r2', 'r1', 'r0'].map((r) => `3.12.1-debian-12-${r}`)],
    ],
  ])('on %s, offers %s, the bare tag ranked newest', (wanted, tag, alternatives) => {
    const choice = chooseVariantTags(wanted, ['3.12.1', ...BITNAMI]).find((c) => c.variant === 'debian-12');
    expect(choice?.tag).toBe(tag);
    expect(choice?.alternatives).toEqual(alternatives);
  });

  it.each([
    // A pinned rebuild stays pinned: the newest rebuild of the same kind, with the tag that moves named beside it
    ['3.12.1-debian-12-r0', BITNAMI, '3.12.1-debian-12-r10', '3.12.1-debian-12'],
    ['bookworm-20240101', ['bookworm-20240101', 'bookworm-20240301', 'bookworm'], 'bookworm-20240301', 'bookworm'],
    [
      '3.12-slim-bookworm-20240101',
      ['3.12-slim-bookworm-20240101', '3.12-slim-bookworm-20240301', '3.12-bookworm-slim'],
      '3.12-slim-bookworm-20240301',
      '3.12-bookworm-slim',
    ],
    ['3.12.1-debian-12-r1', BITNAMI.filter((t) => t !== '3.12.1-debian-12'), '3.12.1-debian-12-r10', undefined],
    // The bare tag of another version does not move to this one's rebuilds
    [
      '3.12.1-debian-12-r0',
      ['3.12.1-debian-12-r0', '3.12.1-debian-12-r2', '3.12.2-debian-12'],
      '3.12.1-debian-12-r2',
      undefined,
    ],
  ])('on %s among %j, the newer rebuild row is %s, %s moving to each rebuild', (wanted, tags, rebuilt, rolling) => {
    const row = chooseVariantTags(wanted, tags).find((c) => c.rebuildOf === wanted);
    expect(row?.tag).toBe(rebuilt);
    expect(row?.rolling).toBe(rolling);
  });
});

describe('rebuildKeeps', () => {
  it.each([
    ['3.12.1-debian-12-r0', 'same version and variant'],
    ['3.12-slim-bookworm-20240101', 'same version and variant'],
    ['20.11.1-1', 'same version and variant'],
    // A tag with no version keeps its release name, not a version
    ['bookworm-20240101', 'same release (bookworm)'],
    ['bookworm-slim-20240101', 'same release (bookworm-slim)'],
    ['jammy-20240101', 'same release (jammy)'],
  ])('a newer rebuild of %s keeps the %s', (tag, kept) => {
    expect(rebuildKeeps(tag)).toBe(kept);
  });
});

describe('closerTag', () => {
  const closest = (wanted: string, tags: string[]) => [...tags].sort((a, b) => closerTag(wanted, a, b));
  it('puts the tag of the version in use first, then the shortest, then by name', () => {
    expect(closest('12', ['bookworm-slim', '12-slim'])).toEqual(['12-slim', 'bookworm-slim']);
    expect(closest('20.11.1', ['20-slim', '20.11.1-slim-bookworm', '20.11.1-slim'])).toEqual([
      '20.11.1-slim',
      '20.11.1-slim-bookworm',
      '20-slim',
    ]);
    // No version in use: the shortest, then by name
    expect(closest('bookworm', ['slim-bookworm', 'latest', 'stable'])).toEqual(['latest', 'stable', 'slim-bookworm']);
  });
});
