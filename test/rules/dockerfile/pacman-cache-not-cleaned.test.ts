// DF031 pacman-cache-not-cleaned: packages pacman (makepkg -s, yay, paru) downloaded left in /var/cache/pacman/pkg.
import { rule } from '../../../rules/dockerfile/pacman-cache-not-cleaned.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const arch = (...lines: string[]): string => ['FROM archlinux:base-20241201.0.285667', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    arch('RUN pacman -Syu --noconfirm git && rm -rf /var/cache/pacman/pkg/*'),
    arch('RUN pacman -S --noconfirm --needed base-devel && yes | pacman -Scc'),
    arch('RUN pacman -Sy --noconfirm git && rm -rf /var/cache/pacman'),
    arch('RUN pacman -S --noconfirm git && paccache -rk0'),
    arch('RUN --mount=type=cache,target=/var/cache/pacman/pkg pacman -Syu --noconfirm git'),
    // A cache moved with --cachedir is that directory.
    arch('RUN pacman -S --noconfirm --cachedir /tmp/pc git && rm -rf /tmp/pc'),
    arch('RUN pacman -S --noconfirm --cachedir=/tmp/pc git && yes | pacman -Scc --cachedir /tmp/pc'),
    // Not downloads into the cache: the databases only, searches, queries, removals.
    arch('RUN pacman -Sy'),
    arch('RUN pacman -Ss python && pacman -Si git && pacman -Qi git'),
    arch('RUN pacman -Rns --noconfirm git'),
    [
      'FROM archlinux:base-20241201.0.285667 AS build',
      'RUN pacman -Syu --noconfirm go && go build -o /out/app .',
      'FROM scratch',
      'COPY --from=build /out/app /app',
    ].join('\n'),
  ],
  invalid: [
    {
      code: arch('RUN pacman -Syu --noconfirm git'),
      errors: [
        {
          messageId: 'notCleaned',
          line: 2,
          message:
            '`pacman -Syu` leaves every package it downloaded in /var/cache/pacman/pkg in this layer; add `&& rm -rf /var/cache/pacman/pkg/*` (or `yes | pacman -Scc`: with `--noconfirm` pacman answers No) or use `--mount=type=cache,target=/var/cache/pacman/pkg`.',
        },
      ],
      output: arch('RUN pacman -Syu --noconfirm git && rm -rf /var/cache/pacman/pkg/*'),
    },
    // pacman answers its own "remove ALL files from cache? [y/N]" with No under --noconfirm; -Sc keeps installed ones.
    { code: arch('RUN pacman -S --noconfirm git && pacman -Scc --noconfirm'), errors: [{ messageId: 'notCleaned' }] },
    { code: arch('RUN pacman -S --noconfirm git && yes | pacman -Sc'), errors: [{ messageId: 'notCleaned' }] },
    { code: arch('RUN pacman -Syu --noconfirm'), errors: [{ messageId: 'notCleaned' }] },
    {
      code: arch('RUN pacman -S --noconfirm --cachedir /tmp/pc git && yes | pacman -Scc'),
      errors: [{ messageId: 'notCleaned' }],
      output: arch('RUN pacman -S --noconfirm --cachedir /tmp/pc git && yes | pacman -Scc && rm -rf /tmp/pc/*'),
    },
    { code: arch('RUN pacman -Sw --noconfirm git'), errors: [{ messageId: 'notCleaned' }] },
    {
      code: arch('RUN makepkg -si --noconfirm'),
      errors: [
        {
          messageId: 'notCleaned',
          message:
            '`makepkg -s` leaves every package it downloaded in /var/cache/pacman/pkg in this layer; add `&& rm -rf /var/cache/pacman/pkg/*` (or `yes | pacman -Scc`: with `--noconfirm` pacman answers No) or use `--mount=type=cache,target=/var/cache/pacman/pkg`.',
        },
      ],
    },
    { code: arch('RUN yay -S --noconfirm google-chrome'), errors: [{ messageId: 'notCleaned' }] },
    {
      code: arch('RUN pacman -S --noconfirm git', 'RUN rm -rf /var/cache/pacman/pkg/*'),
      errors: [{ messageId: 'notCleaned', line: 2 }],
    },
  ],
});
