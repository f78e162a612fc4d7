import { Args } from '@oclif/core';
import type { InspectResult } from '../services/inspect.js';
import { BaseCommand } from './base.js';
import { outputFlags, sourceFlags, sourceOptions } from './flags.js';
import { printableResult } from '../report/printable.js';

export default class Inspect extends BaseCommand {
  static override summary = "Show an image's manifest, config and layers without reading any layer.";
  static override description =
    'IMAGE is a docker-archive (docker save, any variant, optionally gzip-compressed), an OCI archive, an OCI layout ' +
    'directory, or a transport: docker-archive:PATH[:NAME:TAG|:@N], oci:DIR[:REF], oci-archive:PATH[:REF], ' +
    'docker://REF, docker-daemon:REF, podman:REF. Only metadata is read: no layer is decompressed.';
  static override examples = [
    '<%= config.bin %> inspect examples/demo/demo.tar',
    '<%= config.bin %> inspect image.oci --platform linux/arm64',
    '<%= config.bin %> inspect docker-archive:images.tar:app:1.2 --json',
    '<%= config.bin %> inspect docker://node:20 --platform linux/arm64',
  ];
  // schemaVersion is the version of ballast's JSON, first key as in the other commands; the manifest's own
  // schemaVersion is not in the result (its media type is), so the two cannot be confused.
  static override versionedJson = true;
  static override args = { image: Args.string({ description: 'the image to inspect', required: true }) };
  static override flags = { ...sourceFlags, ...outputFlags };

  async run(): Promise<InspectResult> {
    const { args, flags } = await this.parse(Inspect);
    await this.refuseOverwrite(flags.output, [{ path: args.image, what: 'the input image', image: true }]);
    const [{ inspect }, { renderInspect }] = await Promise.all([
      import('../services/inspect.js'),
      import('../reporters/inspect-text.js'),
    ]);
    const result = await inspect({
      image: args.image,
      ...(await sourceOptions(flags, this.sourceOf, this.id)),
      notice: this.notice,
    });
    // The image's names, labels and history, with their control characters escaped.
    const render = () =>
      renderInspect(printableResult(result), {
        color: this.color(flags.output),
        width: this.width(flags.output),
      });
    await this.emit(render, flags.output);
    return result;
  }
}
