import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/apt-install-recommends.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl',
    'FROM debian:12\nRUN apt-get -o APT::Install-Recommends=false install -y curl',
    'FROM debian:12\nRUN apt-get update',
    // Only apt-get is checked; apt has its own rule.
    'FROM debian:12 AS unused\nRUN apt-get install -y curl\nFROM debian:12\nRUN true',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get install -y curl',
      errors: [{ messageId: 'recommends', line: 2 }],
    },
    {
      code: 'FROM debian:12\nRUN apt-get update && apt-get -qq install curl && apt-get install -y --no-install-recommends jq',
      errors: [{ messageId: 'recommends', line: 2 }],
    },
    { code: 'FROM debian:12\nRUN apt-get update \\\n  && apt-get install -y \\\n    python3', errors: [{ messageId: 'recommends', line: 2 }] },
  ],
});
