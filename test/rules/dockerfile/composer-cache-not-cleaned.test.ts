// DF032 composer-cache-not-cleaned: Composer's download cache left in the layer; --no-cache, clear-cache, rm, mounts
// and stages that keep it out.
import { rule } from '../../../rules/dockerfile/composer-cache-not-cleaned.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const php = (...lines: string[]): string =>
  ['FROM php:8.3-cli', 'COPY --from=composer:2.8 /usr/bin/composer /usr/bin/composer', 'WORKDIR /app', ...lines].join(
    '\n',
  );

ruleTester.run(rule, {
  valid: [
    php('RUN composer install --no-dev --no-cache'),
    php('RUN composer --no-cache require monolog/monolog:^3'),
    php('RUN composer install --no-dev && composer clear-cache'),
    php('RUN composer install --no-dev && composer cc'),
    php('RUN composer install && rm -rf /root/.composer/cache /root/.cache/composer'),
    php('RUN composer install && rm -rf ~/.composer ~/.cache'),
    php('ENV COMPOSER_CACHE_DIR=/dev/null', 'RUN composer install'),
    php('RUN COMPOSER_CACHE_DIR=/dev/null composer install'),
    php('ENV COMPOSER_HOME=/composer', 'RUN composer install && rm -rf /composer/cache'),
    php('ENV COMPOSER_CACHE_DIR=/tmp/cc', 'RUN --mount=type=cache,target=/tmp/cc composer install'),
    php('RUN composer dump-autoload --optimize && composer validate'),
    // The official image (COMPOSER_HOME=/tmp) through a mirror: its cache is /tmp/cache.
    'FROM mirror.gcr.io/library/composer:2.8\nRUN composer global require phpstan/phpstan && rm -rf /tmp/cache',
    // The official composer image's vendor stage: only vendor/ is copied on.
    [
      'FROM composer:2.8 AS vendor',
      'WORKDIR /app',
      'COPY composer.json composer.lock ./',
      'RUN composer install --no-dev --prefer-dist',
      'FROM php:8.3-fpm',
      'COPY --from=vendor /app/vendor /var/www/vendor',
    ].join('\n'),
  ],
  invalid: [
    {
      code: php('RUN composer install --no-dev --optimize-autoloader'),
      errors: [
        {
          messageId: 'notCleaned',
          line: 4,
          message:
            '`composer install` leaves every package it downloaded in its cache (/root/.composer/cache or /root/.cache/composer) in this layer as well as in vendor/; add `--no-cache`, `&& composer clear-cache` after it, or use `--mount=type=cache,target=/root/.composer/cache`.',
        },
      ],
      output: php('RUN composer install --no-dev --optimize-autoloader && composer clear-cache'),
    },
    {
      code: php('RUN php composer.phar update'),
      errors: [
        {
          messageId: 'notCleaned',
          message:
            '`composer update` leaves every package it downloaded in its cache (/root/.composer/cache or /root/.cache/composer) in this layer as well as in vendor/; add `--no-cache`, `&& composer clear-cache` after it, or use `--mount=type=cache,target=/root/.composer/cache`.',
        },
      ],
    },
    { code: php('RUN composer global require laravel/installer'), errors: [{ messageId: 'notCleaned' }] },
    {
      code: php('USER www-data', 'RUN composer install'),
      errors: [
        {
          messageId: 'notCleaned',
          message:
            '`composer install` leaves every package it downloaded in its cache (/home/www-data/.composer/cache or /home/www-data/.cache/composer) in this layer as well as in vendor/; add `--no-cache`, `&& composer clear-cache` after it, or use `--mount=type=cache,target=/home/www-data/.composer/cache`.',
        },
      ],
    },
    // The official image sets COMPOSER_HOME=/tmp: its cache is /tmp/cache, and this stage ships.
    {
      code: 'FROM composer:2.8\nRUN composer global require phpstan/phpstan',
      errors: [
        {
          messageId: 'notCleaned',
          message:
            '`composer global require` leaves every package it downloaded in its cache (/tmp/cache) in this layer as well as in vendor/; add `--no-cache`, `&& composer clear-cache` after it, or use `--mount=type=cache,target=/tmp/cache`.',
        },
      ],
    },
    // clear-cache told another cache than the install's.
    {
      code: php('RUN COMPOSER_CACHE_DIR=/tmp/cc composer install && composer clear-cache'),
      errors: [
        {
          messageId: 'notCleaned',
          message:
            '`composer install` leaves every package it downloaded in its cache (/tmp/cc) in this layer as well as in vendor/; add `--no-cache`, `&& composer clear-cache` after it, or use `--mount=type=cache,target=/tmp/cc`.',
        },
      ],
    },
    {
      code: php('RUN composer install', 'RUN composer clear-cache'),
      errors: [{ messageId: 'notCleaned', line: 4 }],
    },
  ],
});

// Review s44: COMPOSER_CACHE_DIR or COMPOSER_HOME exported in the RUN before the install moves the cache, as ENV does.
ruleTester.run(rule, {
  valid: [
    php('RUN export COMPOSER_CACHE_DIR=/tmp/cc && composer install && rm -rf /tmp/cc'),
    php('RUN export COMPOSER_HOME=/composer && composer install && rm -rf /composer/cache'),
    php('RUN export COMPOSER_CACHE_DIR=/dev/null && composer install'),
    // clear-cache told the same cache through the same export.
    php('RUN export COMPOSER_CACHE_DIR=/tmp/cc && composer install && composer clear-cache'),
  ],
  invalid: [
    {
      code: php('RUN export COMPOSER_CACHE_DIR=/tmp/cc && composer install && rm -rf /root/.composer/cache'),
      errors: [
        {
          messageId: 'notCleaned',
          message:
            '`composer install` leaves every package it downloaded in its cache (/tmp/cc) in this layer as well as in vendor/; add `--no-cache`, `&& composer clear-cache` after it, or use `--mount=type=cache,target=/tmp/cc`.',
        },
      ],
    },
    // The appended clear-cache runs with the same export, so it empties the install's cache.
    {
      code: php('RUN export COMPOSER_CACHE_DIR=/tmp/cc && composer install'),
      errors: [{ messageId: 'notCleaned' }],
      output: php('RUN export COMPOSER_CACHE_DIR=/tmp/cc && composer install && composer clear-cache'),
    },
  ],
});
