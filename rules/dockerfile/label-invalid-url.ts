// DF243: a label of schema type `url` does not hold a URI (hadolint DL3052).
import { defineLabelFormatRule, isUri } from '../../src/lint/label-schema.js';

export const rule = defineLabelFormatRule({
  code: 'DF243',
  name: 'label-invalid-url',
  hadolintId: 'DL3052',
  type: 'url',
  summary: 'Give `url` labels an absolute URI',
  message: 'Label `{{label}}` should be a URL (scheme and address, e.g. https://example.com/repo), not `{{value}}`.',
  isValid: isUri,
});
