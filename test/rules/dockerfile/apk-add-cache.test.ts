import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/apk-add-cache.js';

ruleTester.run(rule, {
  valid: [
    'FROM alpine:3.20\nRUN apk add --no-cache curl',
    'FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl',
    'FROM alpine:3.20\nRUN apk --no-cache add curl',
    'FROM alpine:3.20 AS unused\nRUN apk add curl\nFROM alpine:3.20\nRUN true',
  ],
  invalid: [
    { code: 'FROM alpine:3.20\nRUN apk add curl', errors: [{ messageId: 'noCache', line: 2 }], output: 'FROM alpine:3.20\nRUN apk add --no-cache curl' },
    { code: 'FROM alpine:3.20\nRUN apk update && apk add --virtual .deps gcc', errors: [{ messageId: 'noCache', line: 2 }], output: 'FROM alpine:3.20\nRUN apk update && apk add --no-cache --virtual .deps gcc' },
    { code: 'FROM alpine:3.20\nRUN apk add --no-cache curl && apk add jq', errors: [{ messageId: 'noCache', line: 2 }] },
    { code: 'FROM alpine:3.20\nRUN --mount=type=cache,target=/root/.cache apk add curl', errors: [{ messageId: 'noCache', line: 2 }], output: 'FROM alpine:3.20\nRUN --mount=type=cache,target=/root/.cache apk add --no-cache curl' },
  ],
});
