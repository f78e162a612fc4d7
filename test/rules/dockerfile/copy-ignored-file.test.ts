// DF261 copy-ignored-file (BuildKit CopyIgnoredFile).
import { rule } from '../../../rules/dockerfile/copy-ignored-file.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    // No build context (stdin), or no .dockerignore.
    'FROM debian:12\nCOPY secrets.env /app/',
    { code: 'FROM debian:12\nCOPY secrets.env /app/', files: {} },
    { code: 'FROM debian:12\nCOPY src /app/src', files: { '.dockerignore': '.git\nnode_modules\n*.log\n' } },
    // The whole context: .dockerignore trims it, as meant.
    { code: 'FROM debian:12\nCOPY . /app', files: { '.dockerignore': '.git\n' } },
    // Let back in by a later `!` pattern.
    { code: 'FROM debian:12\nCOPY docs/README.md /app/', files: { '.dockerignore': 'docs\n!docs/README.md\n' } },
    { code: 'FROM node:20\nCOPY package.json /app/', files: { '.dockerignore': '*\n!package.json\n' } },
    // An allow-list that lets back in what is under the copied directory.
    { code: 'FROM node:20\nCOPY src /app/src', files: { '.dockerignore': '**\n!src/**\n' } },
    // From a stage, wildcards, URLs, unresolved variables.
    { code: 'FROM debian:12\nCOPY --from=build /out/app.log /app/', files: { '.dockerignore': '*.log\n' } },
    { code: 'FROM debian:12\nCOPY *.log /app/', files: { '.dockerignore': '*.log\n' } },
    { code: 'FROM debian:12\nADD https://example.com/x.log /app/', files: { '.dockerignore': '*.log\n' } },
    { code: 'FROM debian:12\nCOPY $LOG /app/', files: { '.dockerignore': '*.log\n' } },
    // The Dockerfile's own ignore file wins.
    {
      code: 'FROM debian:12\nCOPY build.log /app/',
      files: { '.dockerignore': '*.log\n', 'Dockerfile.dockerignore': '.git\n' },
    },
  ],
  invalid: [
    // A quoted source is one word without its quotes (src/lint/helpers.ts copySources): it was `"release` and `notes.log"`.
    {
      code: 'FROM debian:12\nCOPY "release notes.log" /app/',
      files: { '.dockerignore': '*.log\n' },
      errors: [{ messageId: 'ignored', line: 2 }],
    },
    {
      code: 'FROM debian:12\nCOPY app.log /app/',
      files: { '.dockerignore': '*.log\n' },
      errors: [
        {
          messageId: 'ignored',
          line: 2,
          message:
            '`app.log` is excluded by .dockerignore (`*.log`), so the build context does not hold it: this COPY fails or copies nothing of it.',
        },
      ],
    },
    {
      name: 'a parent directory is excluded',
      code: 'FROM debian:12\nCOPY ./config/dev/app.yaml /etc/app/',
      files: { '.dockerignore': 'config/dev\n' },
      errors: [{ messageId: 'ignored', line: 2 }],
    },
    {
      name: 'each excluded source, ADD and exec form too',
      code: 'FROM debian:12\nADD ["dist/", "node_modules", "/app/"]',
      files: { '.dockerignore': '/dist\n**/node_modules\n' },
      errors: [
        { messageId: 'ignored', line: 2 },
        { messageId: 'ignored', line: 2 },
      ],
    },
    {
      name: 'a variable resolved, the Dockerfile own ignore file',
      code: 'FROM debian:12\nARG CONF=secret.env\nCOPY ${CONF} /app/',
      files: { '.dockerignore': '.git\n', 'Dockerfile.dockerignore': '*.env\n' },
      errors: [
        {
          messageId: 'ignored',
          message:
            '`${CONF}` is excluded by Dockerfile.dockerignore (`*.env`), so the build context does not hold it: this COPY fails or copies nothing of it.',
        },
      ],
    },
    {
      name: 'a `!` pattern for something else',
      code: 'FROM debian:12\nCOPY docs /app/docs',
      files: { '.dockerignore': 'docs\n!README.md\n' },
      errors: [{ messageId: 'ignored' }],
    },
  ],
});

// Review s44 (lintfn): a wildcard under an excluded directory matches nothing in the context.
ruleTester.run(rule, {
  valid: [
    { code: 'FROM debian:12\nCOPY src/*.ts /app/', files: { '.dockerignore': '.git\ntarget\n' } },
    // The jars are let back in.
    { code: 'FROM debian:12\nCOPY target/*.jar /app/', files: { '.dockerignore': 'target\n!target/*.jar\n' } },
    // No fixed leading directory: what the wildcard matches is not known.
    { code: 'FROM debian:12\nCOPY */app.jar /app/', files: { '.dockerignore': 'target\n' } },
  ],
  invalid: [
    {
      code: 'FROM eclipse-temurin:21-jre\nCOPY target/*.jar /app/',
      files: { '.dockerignore': 'target\n' },
      errors: [
        {
          messageId: 'ignoredGlob',
          line: 2,
          message:
            '`target/*.jar` matches nothing: .dockerignore excludes `target`, so the build context holds nothing under it; this COPY fails or copies nothing.',
        },
      ],
    },
    {
      code: 'FROM eclipse-temurin:21-jre\nADD ./build/libs/app-?.[0-9]*.jar /app/',
      files: { '.dockerignore': '**/build\n' },
      errors: [
        {
          messageId: 'ignoredGlob',
          line: 2,
          message:
            '`./build/libs/app-?.[0-9]*.jar` matches nothing: .dockerignore excludes `build` (`**/build`), so the build context holds nothing under it; this ADD fails or copies nothing.',
        },
      ],
    },
  ],
});

// Review s44 (lintnits): a trailing slash is the same pattern as the directory it names.
ruleTester.run(rule, {
  valid: [],
  invalid: [
    {
      code: 'FROM eclipse-temurin:21-jre\nCOPY target/[a-z]*.jar /app/',
      files: { '.dockerignore': 'target/\n' },
      errors: [
        {
          messageId: 'ignoredGlob',
          line: 2,
          message:
            '`target/[a-z]*.jar` matches nothing: .dockerignore excludes `target`, so the build context holds nothing under it; this COPY fails or copies nothing.',
        },
      ],
    },
    {
      code: 'FROM eclipse-temurin:21-jre\nCOPY target/*.jar /app/',
      files: { '.dockerignore': './target\n' },
      errors: [
        {
          messageId: 'ignoredGlob',
          line: 2,
          message:
            '`target/*.jar` matches nothing: .dockerignore excludes `target`, so the build context holds nothing under it; this COPY fails or copies nothing.',
        },
      ],
    },
  ],
});
