// A mistyped image path or name, as a developer types it: the error line says which argument failed, once.
import { describe, expect, it } from '@jest/globals';
import { runCli } from '../helpers/cli.js';

const IMAGE = 'test/fixtures/dive/test-docker-image.tar';
// No daemon answers and --source keeps names off the registry, so the lookups fail at once, offline.
const env = {
  BALLAST_SOURCE: 'daemon',
  DOCKER_HOST: 'unix:///nonexistent/docker.sock',
  CONTAINER_HOST: 'unix:///nonexistent/podman.sock',
};
const docker = 'cannot reach the Docker daemon at unix:///nonexistent/docker.sock';

describe('a mistyped image argument', () => {
  it.each([
    [['analyze', 'build/app.oci'], `error: no file build/app.oci here; as an image name: ${docker}`],
    [['diff', 'a.oci', IMAGE], `error: opening A: no file a.oci here; as an image name: ${docker}`],
    [['diff', IMAGE, 'nope.oci'], `error: opening B: no file nope.oci here; as an image name: ${docker}`],
    [['diff', IMAGE, 'missing.tar'], 'error: opening B: missing.tar does not exist (hint: check the path)'],
    [
      ['analyze', '--base', 'nope.oci', IMAGE],
      `error: opening the base image: no file nope.oci here; as an image name: ${docker}`,
    ],
    [
      ['ci', '--base', 'nope.oci', IMAGE],
      `error: opening the base image: no file nope.oci here; as an image name: ${docker}`,
    ],
  ])('%j names it once, on one line, exit 2', async (args, line) => {
    const { code, stderr } = await runCli(args, { env });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.trim().startsWith(line)).toBe(true);
  });
});
