// DF245: a label of schema type `spdx` does not hold an SPDX license identifier (hadolint DL3054).
import { defineLabelFormatRule, isSpdxId } from '../../src/lint/label-schema.js';

export const rule = defineLabelFormatRule({
  code: 'DF245',
  name: 'label-invalid-spdx',
  hadolintId: 'DL3054',
  type: 'spdx',
  summary: 'Give `spdx` labels an SPDX license identifier',
  message: 'Label `{{label}}` should be an SPDX license identifier such as MIT or Apache-2.0, not `{{value}}`.',
  isValid: isSpdxId,
});
