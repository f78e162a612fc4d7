// DF030 conda-cache-not-cleaned: conda, mamba and micromamba package caches left in the layer; the cleanups, mounts
// and stages that keep them out.
import { rule } from '../../../rules/dockerfile/conda-cache-not-cleaned.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const mini = (...lines: string[]): string => ['FROM continuumio/miniconda3:24.7.1-0', ...lines].join('\n');
const micro = (...lines: string[]): string => ['FROM mambaorg/micromamba:1.5.10', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    mini('RUN conda install -y -c conda-forge numpy=2.1 && conda clean -afy'),
    mini('RUN conda install -y numpy && conda clean --all --yes'),
    mini('RUN conda install -y numpy && conda clean -tipsy'),
    mini('ENV CONDA_ALWAYS_YES=true', 'RUN conda install numpy && conda clean -a'),
    mini('RUN conda env create -f environment.yml && conda clean -afy'),
    mini('RUN mamba install -y numpy && mamba clean --all --yes'),
    mini('RUN conda install -y numpy && rm -rf /opt/conda/pkgs'),
    mini('ENV CONDA_DIR=/opt/conda', 'RUN conda install -y numpy && rm -rf ${CONDA_DIR}/pkgs/*'),
    mini('RUN --mount=type=cache,target=/opt/conda/pkgs conda install -y numpy'),
    mini('ENV CONDA_PKGS_DIRS=/tmp/pkgs', 'RUN conda install -y numpy && rm -rf /tmp/pkgs'),
    micro(
      'ENV MAMBA_ROOT_PREFIX=/opt/conda',
      'RUN micromamba install -y -n base -f env.yaml && micromamba clean --all --yes',
    ),
    micro('RUN micromamba install -y -n base python=3.12 && micromamba clean -afy'),
    micro(
      'ENV MAMBA_ROOT_PREFIX=/opt/conda',
      'RUN --mount=type=cache,target=/opt/conda/pkgs micromamba install -y -f env.yaml',
    ),
    // The base image's ENV is not seen (this one sets MAMBA_ROOT_PREFIX=/opt/conda): with no root told, the removal or
    // mount of a pkgs directory counts.
    micro('RUN micromamba install -y -n base -f env.yaml && rm -rf /opt/conda/pkgs'),
    micro('RUN --mount=type=cache,target=/opt/conda/pkgs micromamba install -y -n base -f env.yaml'),
    // Not installs.
    mini('RUN conda env export > environment.yml'),
    mini('RUN conda install --dry-run numpy'),
    mini('RUN conda config --add channels conda-forge'),
    // A build stage whose environment only is copied: the cache never ships.
    [
      'FROM continuumio/miniconda3:24.7.1-0 AS build',
      'RUN conda create -y -p /env python=3.12 numpy',
      'FROM debian:bookworm-slim',
      'COPY --from=build /env /env',
    ].join('\n'),
  ],
  invalid: [
    {
      code: mini('RUN conda install -y -c conda-forge numpy=2.1'),
      errors: [
        {
          messageId: 'notCleaned',
          line: 2,
          message:
            '`conda install` leaves every package it downloaded in the conda package cache (/opt/conda/pkgs, often hundreds of MB) in this layer; add `&& conda clean -afy` after it or use `--mount=type=cache,target=/opt/conda/pkgs`.',
        },
      ],
      output: mini('RUN conda install -y -c conda-forge numpy=2.1 && conda clean -afy'),
    },
    // A clean that asks and gets no answer removes nothing; `-p` keeps the tarballs.
    { code: mini('RUN conda install -y numpy && conda clean -a'), errors: [{ messageId: 'notCleaned' }] },
    { code: mini('RUN conda install -y numpy && conda clean -py'), errors: [{ messageId: 'notCleaned' }] },
    // Before the install, or in a later RUN: the cache is in this RUN's layer all the same.
    { code: mini('RUN conda clean -afy && conda install -y numpy'), errors: [{ messageId: 'notCleaned' }] },
    {
      code: mini('RUN conda install -y numpy', 'RUN conda clean -afy'),
      errors: [{ messageId: 'notCleaned', line: 2 }],
    },
    {
      code: mini('ENV CONDA_DIR=/srv/conda', 'RUN conda env create -f env.yml'),
      errors: [
        {
          messageId: 'notCleaned',
          message:
            '`conda env create` leaves every package it downloaded in the conda package cache (/srv/conda/pkgs, often hundreds of MB) in this layer; add `&& conda clean -afy` after it or use `--mount=type=cache,target=/srv/conda/pkgs`.',
        },
      ],
    },
    {
      code: mini('RUN mamba install -y numpy'),
      errors: [
        {
          messageId: 'notCleaned',
          message:
            '`mamba install` leaves every package it downloaded in the conda package cache (/opt/conda/pkgs, often hundreds of MB) in this layer; add `&& mamba clean --all --yes` after it or use `--mount=type=cache,target=/opt/conda/pkgs`.',
        },
      ],
      output: mini('RUN mamba install -y numpy && mamba clean --all --yes'),
    },
    {
      code: micro('ENV MAMBA_ROOT_PREFIX=/opt/conda', 'RUN micromamba install -y -n base -f /tmp/env.yaml'),
      errors: [
        {
          messageId: 'notCleaned',
          message:
            '`micromamba install` leaves every package it downloaded in the conda package cache (/opt/conda/pkgs, often hundreds of MB) in this layer; add `&& micromamba clean --all --yes` after it.',
        },
      ],
    },
    // The micromamba image's root is /opt/conda (its ENV, not seen, says so): the message named ~/micromamba of root,
    // /root/micromamba/pkgs, and suggested a cache mount there, which would have left the cache in the layer. It runs
    // as its `mambauser`, who cannot write to a cache mount (root's), so none is suggested unless a USER says root.
    {
      code: micro('RUN micromamba install -y -n base -f /tmp/env.yaml'),
      errors: [
        {
          messageId: 'notCleaned',
          message:
            '`micromamba install` leaves every package it downloaded in the conda package cache (/opt/conda/pkgs, often hundreds of MB) in this layer; add `&& micromamba clean --all --yes` after it.',
        },
      ],
      output: micro('RUN micromamba install -y -n base -f /tmp/env.yaml && micromamba clean --all --yes'),
    },
    {
      code: micro('USER root', 'RUN micromamba install -y -n base -f /tmp/env.yaml'),
      errors: [
        {
          messageId: 'notCleaned',
          message:
            '`micromamba install` leaves every package it downloaded in the conda package cache (/opt/conda/pkgs, often hundreds of MB) in this layer; add `&& micromamba clean --all --yes` after it or use `--mount=type=cache,target=/opt/conda/pkgs`.',
        },
      ],
    },
    // A mount or rm of another directory is not the cache.
    {
      code: mini('RUN --mount=type=cache,target=/root/.cache conda install -y numpy && rm -rf /tmp/cache'),
      errors: [{ messageId: 'notCleaned' }],
    },
    // Cleaned only on some paths: unsure.
    {
      code: mini('RUN conda install -y numpy && if [ "$CLEAN" = 1 ]; then conda clean -afy; fi'),
      errors: [
        {
          messageId: 'notCleaned',
          message:
            '`conda install` leaves every package it downloaded in the conda package cache (/opt/conda/pkgs, often hundreds of MB) in this layer; add `&& conda clean -afy` after it or use `--mount=type=cache,target=/opt/conda/pkgs`. (Unsure: this RUN does clean up, but only inside a condition, loop or function, so not on every path.)',
        },
      ],
    },
  ],
});

// Review s44: CONDA_PKGS_DIRS exported in the RUN before the install moves the cache, as ENV or `VAR=x cmd` does.
ruleTester.run(rule, {
  valid: [
    mini('RUN export CONDA_PKGS_DIRS=/tmp/pkgs && conda install -y numpy && rm -rf /tmp/pkgs'),
    mini('RUN CONDA_PKGS_DIRS=/tmp/pkgs conda install -y numpy && rm -rf /tmp/pkgs'),
  ],
  invalid: [
    {
      code: mini('RUN export CONDA_PKGS_DIRS=/tmp/pkgs && conda install -y numpy'),
      errors: [
        {
          messageId: 'notCleaned',
          message:
            '`conda install` leaves every package it downloaded in the conda package cache (/tmp/pkgs, often hundreds of MB) in this layer; add `&& conda clean -afy` after it or use `--mount=type=cache,target=/tmp/pkgs`.',
        },
      ],
    },
    // The export in a subshell ended with it: the install after it uses the root's pkgs.
    {
      code: micro(
        'ENV MAMBA_ROOT_PREFIX=/opt/conda',
        'RUN (export CONDA_PKGS_DIRS=/tmp/x) && micromamba install -y numpy && rm -rf /tmp/x',
      ),
      errors: [{ messageId: 'notCleaned' }],
    },
  ],
});
