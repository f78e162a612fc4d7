// The family table: for a runtime's official repository, the smaller images built for the same runtime by other
// projects (distroless, chainguard, ubi-minimal). Data, not code: `.ballast.yaml` adds entries under `bases.families`.
// Templates take `{major}`, `{minor}` and `{version}` from the tag the user runs; an entry whose template needs a
// part the tag lacks (`node:lts` has no major) is skipped. What is listed here is what the image's metadata cannot
// tell (distroless images carry no shell and no package manager, and say so nowhere); ballast still reads each
// candidate's manifest and config from its registry, and its version, when the config names one, must be of the
// same major.
import { parseReference } from '../../image/reference.js';

export type Libc = 'glibc' | 'musl' | 'none';

export interface FamilyCandidate {
  /** The family's short name, shown in the table: `distroless`, `chainguard`, `ubi-minimal`. */
  family: string;
  /** Reference template, e.g. `gcr.io/distroless/nodejs{major}-debian12`. */
  image: string;
  os?: string;
  libc?: Libc;
  /** Whether it has /bin/sh. */
  shell?: boolean;
  /** `apt`, `apk`, `microdnf`, ...; null: none at all. */
  packageManager?: string | null;
  /** A caveat always worth stating for this candidate. */
  note?: string;
}

export interface Family {
  /** Repositories this family applies to, as Docker names them (`node`, `eclipse-temurin`, `ghcr.io/org/base`). */
  repositories: string[];
  candidates: FamilyCandidate[];
}

const DISTROLESS = { family: 'distroless', os: 'debian', libc: 'glibc', shell: false, packageManager: null } as const;
const CHAINGUARD = {
  family: 'chainguard',
  os: 'wolfi',
  libc: 'glibc',
  shell: false,
  packageManager: null,
  note: 'the free tier publishes only `latest`, which follows the newest release',
} as const;

export const BUILTIN_FAMILIES: Family[] = [
  {
    repositories: ['node'],
    candidates: [
      { ...DISTROLESS, image: 'gcr.io/distroless/nodejs{major}-debian12' },
      { ...CHAINGUARD, image: 'cgr.dev/chainguard/node:latest' },
      {
        family: 'ubi-minimal',
        image: 'registry.access.redhat.com/ubi9/nodejs-{major}-minimal',
        os: 'rhel',
        libc: 'glibc',
        shell: true,
        packageManager: 'microdnf',
      },
    ],
  },
  {
    repositories: ['python'],
    candidates: [
      {
        ...DISTROLESS,
        image: 'gcr.io/distroless/python3-debian12',
        note: "Debian's own Python 3 build, whose minor version may differ from yours",
      },
      { ...CHAINGUARD, image: 'cgr.dev/chainguard/python:latest' },
    ],
  },
  {
    repositories: ['eclipse-temurin', 'openjdk', 'amazoncorretto'],
    candidates: [
      { ...DISTROLESS, image: 'gcr.io/distroless/java{major}-debian12' },
      { ...CHAINGUARD, image: 'cgr.dev/chainguard/jre:latest' },
      {
        family: 'ubi-minimal',
        image: 'registry.access.redhat.com/ubi9/openjdk-{major}-runtime',
        os: 'rhel',
        libc: 'glibc',
        shell: true,
        packageManager: 'microdnf',
      },
    ],
  },
  {
    repositories: ['debian', 'ubuntu', 'alpine'],
    candidates: [
      {
        ...DISTROLESS,
        image: 'gcr.io/distroless/base-debian12',
        note: 'glibc, CA certificates and tzdata only: for programs that bring their own dependencies',
      },
      {
        ...DISTROLESS,
        image: 'gcr.io/distroless/static-debian12',
        libc: 'none',
        note: 'no libc at all: for statically linked programs only',
      },
      {
        ...CHAINGUARD,
        image: 'cgr.dev/chainguard/wolfi-base:latest',
        shell: true,
        packageManager: 'apk',
        note: undefined,
      },
      {
        family: 'ubi-minimal',
        image: 'registry.access.redhat.com/ubi9/ubi-minimal',
        os: 'rhel',
        libc: 'glibc',
        shell: true,
        packageManager: 'microdnf',
      },
    ],
  },
  {
    repositories: ['golang', 'rust'],
    candidates: [
      {
        ...DISTROLESS,
        image: 'gcr.io/distroless/static-debian12',
        libc: 'none',
        note: 'for a final stage holding a statically linked binary; build in a separate stage',
      },
      {
        ...DISTROLESS,
        image: 'gcr.io/distroless/cc-debian12',
        note: 'for a final stage holding a binary linked against glibc; build in a separate stage',
      },
      {
        ...CHAINGUARD,
        image: 'cgr.dev/chainguard/static:latest',
        libc: 'none',
        note: 'for a final stage holding a statically linked binary',
      },
    ],
  },
];

/** The repository as Docker names it, without tag: `node`, `bitnami/node`, `ghcr.io/org/base`. */
export function repositoryName(reference: string): string {
  const ref = parseReference(reference);
  const path =
    ref.registry === 'docker.io' && ref.repository.startsWith('library/') ? ref.repository.slice(8) : ref.repository;
  return ref.registry === 'docker.io' ? path : `${ref.registry}/${path}`;
}

/** Fills `{major}`-style fields; undefined when the template needs one the version lacks. */
export function fillTemplate(template: string, fields: Record<string, string>): string | undefined {
  let missing = false;
  const filled = template.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    if (fields[name] === undefined) missing = true;
    return fields[name] ?? '';
  });
  return missing ? undefined : filled;
}

/** The family candidates for a repository: built-in entries plus the config's, the config's first. */
export function familyCandidatesFor(repository: string, extra: Family[] = [], builtin = true): FamilyCandidate[] {
  const normalize = (name: string): string => {
    try {
      return repositoryName(name);
    } catch {
      return name;
    }
  };
  const wanted = normalize(repository);
  const out: FamilyCandidate[] = [];
  for (const family of [...extra, ...(builtin ? BUILTIN_FAMILIES : [])]) {
    if (family.repositories.some((r) => normalize(r) === wanted)) out.push(...family.candidates);
  }
  return out;
}
