// DF246: a label of schema type `hash` does not hold a git commit hash (hadolint DL3055).
import { defineLabelFormatRule, isGitHash } from '../../src/lint/label-schema.js';

export const rule = defineLabelFormatRule({
  code: 'DF246',
  name: 'label-invalid-git-hash',
  hadolintId: 'DL3055',
  type: 'hash',
  summary: 'Give `hash` labels a git commit hash',
  message: 'Label `{{label}}` should be a git commit hash (7 or 40 hex digits), not `{{value}}`.',
  isValid: isGitHash,
});
