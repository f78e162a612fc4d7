// DF227 go-install-unpinned (hadolint DL3062).
import { rule } from '../../../rules/dockerfile/go-install-unpinned.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM golang:1.23', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    // xargs puts the words it reads where its replace string stands (`{}` or what -I sets): no module is written there.
    df('RUN xargs -I{} go install {} < /tmp/tools.txt'),
    df('RUN xargs -I % go install % < /tmp/tools.txt'),
    df('RUN go install github.com/go-delve/delve/cmd/dlv@v1.23.0'),
    df('RUN go get github.com/pkg/errors@v0.9.1'),
    df('RUN go run golang.org/x/tools/cmd/stringer@v0.24.0 -type=Pill'),
    df('RUN go install -ldflags "-s -w" example.com/tool@v1.0.0'),
    // The module in the build context is not fetched: nothing to pin.
    df('RUN go install ./...'),
    df('RUN go install .'),
    df('RUN go run main.go'),
    df('RUN go run ./cmd/gen'),
    df('RUN go build -o /out/app ./cmd/app'),
    df('RUN go mod download'),
    df('RUN go install $TOOL'),
    df('RUN go install example.com/tool@4f1a2b3c5d6e'),
    df('ARG DLV=v1.23.0', 'RUN go install github.com/go-delve/delve/cmd/dlv@${DLV}'),
  ],
  invalid: [
    {
      code: df('RUN go install github.com/go-delve/delve/cmd/dlv'),
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`go install github.com/go-delve/delve/cmd/dlv` does not pin a version (e.g. `github.com/go-delve/delve/cmd/dlv@<version>`): rebuilds fetch whatever is newest.',
        },
      ],
    },
    { code: df('RUN go get github.com/pkg/errors'), errors: [{ messageId: 'unpinned' }] },
    { code: df('RUN go run golang.org/x/tools/cmd/stringer -type=Pill'), errors: [{ messageId: 'unpinned' }] },
    { code: df('RUN go install -v example.com/a@v1 example.com/b'), errors: [{ messageId: 'unpinned' }] },
    { code: df('ONBUILD RUN go install example.com/tool'), errors: [{ messageId: 'unpinned' }] },
    { code: df('RUN go install example.com/tool@latest'), errors: [{ messageId: 'floating', line: 2 }] },
    { code: df('RUN go get example.com/tool@master'), errors: [{ messageId: 'floating' }] },
    { code: df('RUN go install ${TOOL}@latest'), errors: [{ messageId: 'floating' }] },
    // Every go install/get/run of the RUN is read and every package to pin named, in one finding a RUN (hadolint DL3062):
    // the first command alone, or its first package alone, read as if it were the only one to pin.
    ...[
      [
        'go install example.com/a example.com/b',
        '`go install example.com/a example.com/b` does not pin versions (e.g. `example.com/a@<version>`)',
      ],
      [
        'go install example.com/a@v1.0.0 && go get example.com/b || go run example.com/c -x',
        '`go get example.com/b example.com/c` does not pin versions (e.g. `example.com/b@<version>`)',
      ],
      [
        'go mod download; go install example.com/a \\\n  && go install example.com/a example.com/b',
        '`go install example.com/a example.com/b` does not pin versions (e.g. `example.com/a@<version>`)',
      ],
      // A moving query is no pin either: named with the packages that have no version at all.
      [
        'go install example.com/a@latest && go install example.com/b',
        '`go install example.com/a@latest example.com/b` does not pin versions (e.g. `example.com/a@<version>`)',
      ],
      [
        'go install example.com/a example.com/b example.com/c example.com/d example.com/e',
        '`go install example.com/a example.com/b example.com/c` and 2 more do not pin versions (e.g. `example.com/a@<version>`)',
      ],
    ].map(([run, named]) => ({
      code: df(`RUN ${run}`),
      errors: [{ messageId: 'unpinned' as const, line: 2, message: `${named}: rebuilds fetch whatever is newest.` }],
    })),
    {
      code: df('RUN go install example.com/a@latest && go get example.com/b@main'),
      errors: [
        {
          messageId: 'floating',
          line: 2,
          message:
            '`go install example.com/a@latest example.com/b@main` does not pin versions: `@latest` and branch names move, so rebuilds fetch whatever is newest; pin a release tag or commit.',
        },
      ],
    },
  ],
});
