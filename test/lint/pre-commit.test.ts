// The pre-commit hook definition: pre-commit users add ballast the way they add hadolint.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
}

describe('.pre-commit-hooks.yaml', () => {
  const hooks = parseYaml(readFileSync('.pre-commit-hooks.yaml', 'utf8')) as Hook[];

  it('defines ballast-lint running `ballast lint` with the files pre-commit passes', () => {
    const hook = hooks.find((h) => h.id === 'ballast-lint')!;
    expect(hook).toMatchObject({ entry: 'ballast lint', language: 'node' });
    // pre-commit matches `files` with Python's re.search; this pattern means the same in JavaScript.
    // Both hooks lint the same files: the system one only differs in where `ballast` comes from.
    expect(hooks.find((h) => h.id === 'ballast-lint-system')).toMatchObject({
      entry: 'ballast lint',
      language: 'system',
      files: hook.files,
    });
    const files = new RegExp(hook.files);
    for (const name of [
      'Dockerfile',
      'docker/Dockerfile',
      'Dockerfile.dev',
      'Dockerfile-prod',
      'Dockerfile.dev.arm64',
      'api.Dockerfile',
      'x/web.dockerfile',
      'Containerfile',
      'build/Containerfile.ci',
    ]) {
      expect([name, files.test(name)]).toEqual([name, true]);
    }
    for (const name of [
      'Dockerfile.d/readme.md',
      'docs/dockerfiles.md',
      'src/main.ts',
      'MyDockerfile.txt',
      'docs/Dockerfile.md',
      'Containerfile.txt',
      'Dockerfile.orig',
      'api.Dockerfile.bak',
    ])
      expect([name, files.test(name)]).toEqual([name, false]);
  });

  it('the example config uses a hook that exists', () => {
    const example = parseYaml(readFileSync('examples/pre-commit-config.yaml', 'utf8')) as {
      repos: { hooks: { id: string }[] }[];
    };
    for (const hook of example.repos.flatMap((r) => r.hooks)) expect(hooks.map((h) => h.id)).toContain(hook.id);
  });
});
