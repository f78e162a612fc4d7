// DF244: a label of schema type `rfc3339` does not hold an RFC 3339 timestamp (hadolint DL3053).
import { defineLabelFormatRule, isRfc3339 } from '../../src/lint/label-schema.js';

export const rule = defineLabelFormatRule({
  code: 'DF244',
  name: 'label-invalid-rfc3339',
  hadolintId: 'DL3053',
  type: 'rfc3339',
  summary: 'Give `rfc3339` labels an RFC 3339 timestamp',
  message: 'Label `{{label}}` should be an RFC 3339 timestamp such as 2024-05-01T12:00:00Z, not `{{value}}`.',
  isValid: isRfc3339,
});
