// Flag sets shared by commands, each with its BALLAST_* environment variable.
import { Flags } from '@oclif/core';

export const sourceFlags = {
  platform: Flags.string({
    description: 'platform to pick from a multi-platform image, os/arch[/variant] (default: this machine\'s)',
    env: 'BALLAST_PLATFORM',
    helpGroup: 'SOURCE',
  }),
  source: Flags.string({
    description: 'where to look up a bare reference',
    options: ['auto', 'daemon', 'podman', 'registry'],
    default: 'auto',
    env: 'BALLAST_SOURCE',
    helpGroup: 'SOURCE',
  }),
  'no-verify': Flags.boolean({
    description: 'skip checking blob digests and diff_ids while reading',
    env: 'BALLAST_NO_VERIFY',
    helpGroup: 'SOURCE',
  }),
};

export const outputFlags = {
  output: Flags.string({
    char: 'o',
    description: 'write the report to this file instead of stdout',
    env: 'BALLAST_OUTPUT',
    helpGroup: 'OUTPUT',
  }),
};
