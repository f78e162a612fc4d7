// blobHead (the first bytes of a layer blob, for sniffing its compression) against a real docker-registry on
// 127.0.0.1: an error answer is an error, not sixteen bytes of a JSON error page taken for an uncompressed layer.
import { RegistryClient } from '../../src/sources/registry/client.js';
import { startRegistry, type Registry } from '../helpers/registry.js';

describe('RegistryClient.blobHead', () => {
  let registry: Registry;
  beforeAll(async () => {
    registry = await startRegistry();
  }, 60_000);
  afterAll(async () => {
    await registry?.stop();
  });

  it('checks the HTTP status before reading the body', async () => {
    const client = new RegistryClient(registry.host, 'nothing/here', { attempts: 1, timeoutMs: 5_000 });
    const descriptor = {
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: `sha256:${'0'.repeat(64)}`,
      size: 100,
    };
    await expect(client.blobHead(descriptor)).rejects.toMatchObject({ code: 'blob-unknown' });
  });
});
