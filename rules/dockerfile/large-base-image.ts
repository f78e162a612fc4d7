// DF024: the final image builds on a full-size variant when a slim/alpine/JRE/runtime variant of the same runtime exists.
import { rootStage } from '../../src/dockerfile/stages.js';
import { codeSpan } from '../../src/report/code-span.js';
import { defineRule, dockerfileMeta, imageName, parseImageRef } from '../../src/lint/helpers.js';
import { resolveFromGlobals } from './base-image-untagged.js';

interface Family {
  /** Suggest a replacement for this tag, or undefined when the tag is already small. */
  suggest(tag: string, repository: string): string | undefined;
  /** What the full variant carries beyond the small one, for the message (compilers, docs and tools by default). */
  extra?: string;
}

const SLIM = /(^|-)(slim|alpine|distroless|minimal|micro|chiseled|nano|musl)(\d|-|$)/;
const slimVariant =
  (name: string) =>
  (tag: string): string | undefined => {
    if (SLIM.test(tag) || tag === '') return tag === '' ? `${name}:<version>-slim` : undefined;
    if (/^(bookworm|bullseye|buster|trixie)$/.test(tag)) return `${name}:${tag}-slim`;
    if (tag === 'latest') return `${name}:slim`;
    const [version, ...rest] = tag.split('-');
    return `${name}:${[version, 'slim', ...rest].join('-')}`;
  };

// A known table of image families and their smaller variants (sizes are typical compressed/uncompressed pulls).
const FAMILIES: Record<string, Family> = {
  python: { suggest: slimVariant('python') },
  node: { suggest: slimVariant('node') },
  ruby: { suggest: slimVariant('ruby') },
  perl: { suggest: slimVariant('perl') },
  // debian:<release> has no compiler; -slim drops its docs, man pages and locale files (a few tens of MB).
  debian: {
    extra: 'documentation, man pages and locale files',
    suggest: (tag) =>
      SLIM.test(tag)
        ? undefined
        : tag === 'latest' || tag === 'stable'
          ? 'debian:stable-slim'
          : `debian:${tag || '<version>'}-slim`,
  },
  golang: { suggest: () => 'a build stage on golang and a final stage on gcr.io/distroless/static or scratch' },
  rust: {
    suggest: (tag) =>
      SLIM.test(tag) ? undefined : 'a build stage on rust and a final stage on debian:<version>-slim or distroless',
  },
  openjdk: { suggest: (tag) => (/jre/.test(tag) ? undefined : 'eclipse-temurin:<version>-jre') },
  'eclipse-temurin': {
    suggest: (tag) =>
      /jre/.test(tag) || SLIM.test(tag) ? undefined : `eclipse-temurin:${tag.replace(/jdk/, 'jre') || '<version>-jre'}`,
  },
  maven: { suggest: () => 'a build stage on maven and a final stage on eclipse-temurin:<version>-jre' },
  gradle: { suggest: () => 'a build stage on gradle and a final stage on eclipse-temurin:<version>-jre' },
  'buildpack-deps': { suggest: () => 'debian:<version>-slim plus only the packages the app needs' },
  sdk: {
    suggest: (_tag, repository) =>
      repository.includes('dotnet') ? 'mcr.microsoft.com/dotnet/aspnet or mcr.microsoft.com/dotnet/runtime' : undefined,
  },
};

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
        const family = FAMILIES[imageName(ref.repository)];
        const suggestion = family?.suggest(ref.tag ?? '', ref.repository);
        if (!suggestion) return;
        const at = ctx.parsed.instructions[stage.firstInstruction];
        ctx.report({
          messageId: 'large',
          data: {
            image,
            extra: family?.extra ?? 'compilers, docs and tools',
            // The suggestion may carry the Dockerfile's tag: fenced so a backtick of it cannot end the span early.
            suggestion: suggestion.includes(' ') ? suggestion : codeSpan(suggestion),
          },
          at,
        });
      },
    };
  },
});
