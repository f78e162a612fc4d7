// DF248: a label of schema type `email` does not hold an email address (hadolint DL3058).
import { defineLabelFormatRule, isEmail } from '../../src/lint/label-schema.js';

export const rule = defineLabelFormatRule({
  code: 'DF248',
  name: 'label-invalid-email',
  hadolintId: 'DL3058',
  type: 'email',
  summary: 'Give `email` labels an email address',
  message: 'Label `{{label}}` should be an email address (RFC 5322, e.g. team@example.com), not `{{value}}`.',
  isValid: isEmail,
});
