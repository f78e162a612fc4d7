// DF249 inline-ignore-pragma (hadolint DL1001): every per-instruction ignore pragma, where it is written.
import { rule } from '../../../rules/dockerfile/inline-ignore-pragma.js';
import { lintText } from '../../../src/lint/engine.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nRUN true',
    '# a plain comment\nFROM debian:12',
    '# hadolint global ignore=DL3006\nFROM debian',
    'FROM debian:12\n# ballast-ignore-file DF001\nRUN true',
    '# hadolint shell=powershell\nFROM mcr.microsoft.com/windows/servercore:ltsc2022',
    'FROM debian:12\nRUN echo "# hadolint ignore=DL3003"',
  ],
  invalid: [
    {
      code: 'FROM debian:12\n# hadolint ignore=DL3003\nRUN cd /tmp && make',
      errors: [
        {
          messageId: 'pragma',
          line: 2,
          message: 'Inline ignore pragma `# hadolint ignore=DL3003`: fix the finding instead of suppressing it.',
        },
      ],
    },
    {
      code: 'FROM debian:12\n  # hadolint ignore = DL3003, DL3008 # we need this\nRUN cd /tmp',
      errors: [{ messageId: 'pragma', line: 2 }],
    },
    {
      code: 'FROM debian:12\n# ballast-ignore DF103 legacy build script\nRUN cd /tmp',
      errors: [{ messageId: 'pragma', line: 2 }],
    },
    {
      code: '# hadolint ignore=DL3006\nFROM debian\n# hadolint ignore=DL3003\nRUN cd /tmp',
      errors: [
        { messageId: 'pragma', line: 1 },
        { messageId: 'pragma', line: 3 },
      ],
    },
  ],
});

describe('DF249 is off by default (hadolint severity ignore)', () => {
  const text = 'FROM debian:12\n# hadolint ignore=DL3003\nRUN cd /tmp';
  it('reports nothing unless a severity is configured', () => {
    expect(lintText(text, 'Dockerfile', [rule]).findings).toEqual([]);
  });
  it('reports at the configured severity, also where pragmas are not honoured', () => {
    const findings = lintText(text, 'Dockerfile', [rule], { severities: { DF249: 'error' }, pragmas: false }).findings;
    expect(findings.map((f) => [f.code, f.severity, f.location.kind === 'dockerfile' && f.location.line])).toEqual([
      ['DF249', 'error', 2],
    ]);
  });
});
