// DF024: the final image builds on a full-size variant when a slim/alpine/JRE/runtime variant of the same runtime exists.
import { rootStage } from '../../src/dockerfile/stages.js';
import { codeSpan } from '../../src/report/code-span.js';
import { DOCKER_HUB, defineRule, dockerfileMeta, officialImageName, parseImageRef } from '../../src/lint/helpers.js';
import { resolveFromGlobals } from './base-image-untagged.js';

interface Family {
  /**
   * Suggest a replacement for this tag, or undefined when the tag is already small. `name` is the image as written
   * without its tag (`python`, `public.ecr.aws/docker/library/python`), `prefix` what comes before the family's own
   * name in it (`public.ecr.aws/docker/library/`), so a mirror stays the mirror in the suggestion.
   */
  suggest(tag: string, name: string, prefix: string): string | undefined;
  /** What the full variant carries beyond the small one, for the message (compilers, docs and tools by default). */
  extra?: string;
  /**
   * A build image (a compiler or build tool, whatever its tag): the message calls it that, not a full-size variant,
   * which its -slim and -alpine tags are not.
   */
  build?: true;
}

const SLIM = /(^|-)(slim|alpine|distroless|minimal|micro|chiseled|nano|musl)(\d|-|$)/;
// Windows images (windowsservercore, nanoserver) have no slim variant.
const WINDOWS = /windowsservercore|nanoserver/;
// The Debian suites the official images name in their tags (`3.12-bookworm`), and perl's `threaded` build.
const AFTER_SLIM = /^(bookworm|bullseye|buster|stretch|trixie|threaded)$/;

/**
 * The slim tag of `tag`, as each family orders it on Docker Hub: node's `slim` ends the tag (`20-bookworm-slim`,
 * `lts-slim`); python's, ruby's and perl's comes before the suite and perl's `threaded` (`3.12-slim-bookworm`,
 * `5.40-slim-threaded-bookworm`), after python's `rc` (`3.13-rc-slim`).
 */
const slimVariant =
  (order: 'last' | 'before-suite') =>
  (tag: string, name: string): string | undefined => {
    if (tag === '') return `${name}:<version>-slim`;
    if (SLIM.test(tag) || WINDOWS.test(tag)) return undefined;
    if (tag === 'latest') return `${name}:slim`;
    const parts = tag.split('-');
    const at = order === 'last' ? -1 : parts.findIndex((p) => AFTER_SLIM.test(p));
    if (at < 0) return `${name}:${tag}-slim`;
    return `${name}:${[...parts.slice(0, at), 'slim', ...parts.slice(at)].join('-')}`;
  };

// A known table of image families and their smaller variants (sizes are typical compressed/uncompressed pulls).
const FAMILIES: Record<string, Family> = {
  python: { suggest: slimVariant('before-suite') },
  node: { suggest: slimVariant('last') },
  ruby: { suggest: slimVariant('before-suite') },
  perl: { suggest: slimVariant('before-suite') },
  // debian:<release> has no compiler; -slim drops its docs, man pages and locale files (a few tens of MB). Docker Hub
  // has no slim backports tag (`bookworm-backports-slim`).
  debian: {
    extra: 'documentation, man pages and locale files',
    suggest: (tag, name) =>
      SLIM.test(tag) || /(^|-)backports$/.test(tag)
        ? undefined
        : tag === 'latest' || tag === 'stable'
          ? `${name}:stable-slim`
          : `${name}:${tag || '<version>'}-slim`,
  },
  golang: {
    build: true,
    extra: 'the Go toolchain',
    suggest: () => 'a build stage on golang and a final stage on gcr.io/distroless/static or scratch',
  },
  // Its -slim and -alpine tags still carry the whole toolchain (600 MB and more), as golang's -alpine does: a compiler
  // image belongs in a build stage whatever its tag.
  rust: {
    build: true,
    extra: 'the Rust compiler, cargo and tools',
    suggest: () => 'a build stage on rust and a final stage on debian:<version>-slim, distroless or scratch',
  },
  openjdk: {
    suggest: (tag, _name, prefix) => (/jre/.test(tag) ? undefined : `${prefix}eclipse-temurin:<version>-jre`),
  },
  // The JRE tag names `jre` where the JDK tag names `jdk`, or after the version (`21-noble` -> `21-jre-noble`).
  'eclipse-temurin': {
    suggest: (tag, name) => {
      if (/jre/.test(tag) || SLIM.test(tag)) return undefined;
      if (tag === '' || tag === 'latest') return `${name}:<version>-jre`;
      if (/jdk/.test(tag)) return `${name}:${tag.replace(/jdk/, 'jre')}`;
      const [version, ...rest] = tag.split('-');
      return `${name}:${[version, 'jre', ...rest].join('-')}`;
    },
  },
  // Tomcat's JRE tags name `jre<N>` where the JDK tags name `jdk<N>`, with temurin (corretto has no JRE). A tag
  // without `jdk` (`10.1`) picks no JDK version to keep.
  tomcat: {
    suggest: (tag, name) =>
      /^(?:.*-)?jdk\d+(?:-temurin(?:-[a-z]+)?)?$/.test(tag) ? `${name}:${tag.replace(/jdk(?=\d)/, 'jre')}` : undefined,
  },
  // swift:<version>-slim has the runtime libraries without the compiler. Where a slim tag puts the suite
  // (`5.10-noble`) is not certain, so a suite tag gets no suggestion.
  swift: {
    suggest: (tag, name) =>
      tag === ''
        ? `${name}:<version>-slim`
        : tag === 'latest'
          ? `${name}:slim`
          : /^\d+(\.\d+)*$/.test(tag)
            ? `${name}:${tag}-slim`
            : undefined,
  },
  maven: {
    build: true,
    extra: 'a JDK and Maven',
    suggest: () => 'a build stage on maven and a final stage on eclipse-temurin:<version>-jre',
  },
  gradle: {
    build: true,
    extra: 'a JDK and Gradle',
    suggest: () => 'a build stage on gradle and a final stage on eclipse-temurin:<version>-jre',
  },
  'buildpack-deps': { suggest: () => 'debian:<version>-slim plus only the packages the app needs' },
};

const CUDA_EXTRA = 'the CUDA compiler, headers and static libraries';

// Images that are no Docker official image, by registry and repository: matched whole, not by their last name.
const VENDOR_FAMILIES: { image: RegExp; family: Family }[] = [
  {
    image: /^mcr\.microsoft\.com\/dotnet\/(?:[\w.-]+\/)*sdk$/,
    family: { suggest: () => 'mcr.microsoft.com/dotnet/aspnet or mcr.microsoft.com/dotnet/runtime' },
  },
  // The -devel tags add nvcc, the CUDA headers and static libraries (gigabytes) to the -runtime tags.
  {
    image: /^(?:docker\.io|nvcr\.io)\/nvidia\/cuda$/,
    family: {
      extra: CUDA_EXTRA,
      suggest: (tag, name) => (/-devel-/.test(tag) ? `${name}:${tag.replace('-devel-', '-runtime-')}` : undefined),
    },
  },
  {
    image: /^docker\.io\/pytorch\/pytorch$/,
    family: {
      extra: CUDA_EXTRA,
      suggest: (tag, name) => (/-devel$/.test(tag) ? `${name}:${tag.replace(/-devel$/, '-runtime')}` : undefined),
    },
  },
];

/**
 * The family of `image`, with what comes before the family's name: a Docker official image (`python`, `library/python`,
 * `docker.io/library/python`) or a mirror of one, which keeps Docker Hub's `library/` path
 * (`public.ecr.aws/docker/library/python`, `mirror.gcr.io/library/python`, a proxy cache's `HOST/PROJECT/library/python`);
 * else an image the vendor table names. Another vendor's image of the same name (`cgr.dev/chainguard/python`,
 * `bitnami/python`) is another image: Chainguard's is minimal already, and the official slim variant would drop what the
 * others add.
 */
function familyOf(registry: string | undefined, repository: string): { family: Family; prefix: string } | undefined {
  const name = officialImageName(registry, repository);
  const hub = registry === undefined || DOCKER_HUB.has(registry);
  if (name !== undefined && Object.hasOwn(FAMILIES, name)) {
    const written = registry === undefined ? repository : `${registry}/${repository}`;
    return { family: FAMILIES[name], prefix: written.slice(0, written.length - name.length) };
  }
  const whole = `${hub ? 'docker.io' : registry}/${repository}`;
  const vendor = VENDOR_FAMILIES.find((v) => v.image.test(whole));
  return vendor && { family: vendor.family, prefix: '' };
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF024',
    name: 'large-base-image',
    type: 'size',
    summary: 'Base the final image on a slim, alpine, JRE or runtime variant',
    defaultSeverity: 'info',
    fix: 'none',
    messages: {
      large:
        'The final image is built on `{{image}}`, a full-size variant with {{extra}} the app does not need at run time; consider {{suggestion}}.',
      buildImage:
        'The final image is built on `{{image}}`, a build image with {{extra}}, which the app does not need at run time; consider {{suggestion}}.',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      end() {
        const { stages } = ctx.parsed;
        if (stages.length === 0) return;
        // Follow FROM <stage> links back to the image the final stage really starts from.
        const stage = stages[rootStage(ctx.stages, stages.length - 1)];
        const image = resolveFromGlobals(stage.baseImage, ctx.stages.globalArgs);
        if (image.includes('$')) return;
        const ref = parseImageRef(image);
        const found = familyOf(ref.registry, ref.repository);
        if (!found) return;
        const { family, prefix } = found;
        const name = ref.registry === undefined ? ref.repository : `${ref.registry}/${ref.repository}`;
        const suggestion = family.suggest(ref.tag ?? '', name, prefix);
        if (!suggestion) return;
        const at = ctx.parsed.instructions[stage.firstInstruction];
        ctx.report({
          messageId: family.build ? 'buildImage' : 'large',
          data: {
            image,
            extra: family.extra ?? 'compilers, docs and tools',
            // The suggestion may carry the Dockerfile's tag: fenced so a backtick of it cannot end the span early.
            suggestion: suggestion.includes(' ') ? suggestion : codeSpan(suggestion),
          },
          at,
        });
      },
    };
  },
});
