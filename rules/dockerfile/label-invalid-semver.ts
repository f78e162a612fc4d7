// DF247: a label of schema type `semver` does not hold a semantic version (hadolint DL3056).
import { defineLabelFormatRule, isSemver } from '../../src/lint/label-schema.js';

export const rule = defineLabelFormatRule({
  code: 'DF247',
  name: 'label-invalid-semver',
  hadolintId: 'DL3056',
  type: 'semver',
  summary: 'Give `semver` labels a semantic version',
  message: 'Label `{{label}}` should be a semantic version such as 1.4.2, not `{{value}}`.',
  isValid: isSemver,
});
