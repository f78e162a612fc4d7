import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/large-base-image.js';

const DEBIAN_EXTRA = 'documentation, man pages and locale files';
const CUDA_EXTRA = 'the CUDA compiler, headers and static libraries';
const large = (image: string, suggestion: string, extra = 'compilers, docs and tools'): string =>
  `The final image is built on \`${image}\`, a full-size variant with ${extra} the app does not need at run time; consider \`${suggestion}\`.`;

ruleTester.run(rule, {
  valid: [
    'FROM python:3.12-slim',
    'FROM node:20-alpine',
    'FROM golang:1.22 AS build\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app',
    'FROM debian:12-slim',
    // Docker Hub has no slim backports tag (`bookworm-backports-slim`): there is nothing to suggest.
    'FROM debian:bookworm-backports',
    'FROM mirror.gcr.io/library/debian:trixie-backports',
    'FROM eclipse-temurin:21-jre',
    'FROM python:3.12 AS build\nFROM python:3.12-slim',
    // Another vendor's image that shares an official image's name is not that image: Chainguard's is minimal already,
    // and the others add what the official slim variant lacks.
    'FROM cgr.dev/chainguard/python:latest-dev AS builder\nRUN python -m venv /venv\nFROM cgr.dev/chainguard/python:latest\nCOPY --from=builder /venv /venv',
    'FROM cgr.dev/chainguard/node:latest',
    'FROM cgr.dev/chainguard/ruby:latest',
    'FROM bitnami/python:3.12',
    'FROM cimg/python:3.12',
    'FROM ghcr.io/org/python:3.12',
    'FROM mcr.microsoft.com/devcontainers/python:3.12',
    'FROM docker.io/bitnami/node:20',
    // Windows images have no slim variant.
    'FROM python:3.12-windowsservercore-ltsc2022',
    'FROM mcr.microsoft.com/dotnet/aspnet:8.0',
    'FROM tomcat:10.1-jre17-temurin',
    // A tag that does not say jdk picks no JDK version to keep; corretto has no JRE tag.
    'FROM tomcat:10.1',
    'FROM tomcat:9.0-jdk17-corretto',
    'FROM nvidia/cuda:12.1.1-runtime-ubuntu22.04',
    'FROM nvidia/cuda:12.1.1-base-ubuntu22.04',
    'FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime',
    'FROM swift:5.10-slim',
    // Which suite the slim tag carries where is not certain: a suite tag gets no suggestion.
    'FROM swift:5.10-noble',
    // Not NVIDIA's image.
    'FROM ghcr.io/org/cuda:12.1.1-devel-ubuntu22.04',
  ],
  invalid: [
    {
      code: 'FROM python:3.12',
      errors: [
        {
          messageId: 'large',
          line: 1,
          message:
            'The final image is built on `python:3.12`, a full-size variant with compilers, docs and tools the app does not need at run time; consider `python:3.12-slim`.',
        },
      ],
    },
    // debian carries no compilers; its message says what -slim drops (report hunt precision #8).
    {
      code: 'FROM debian:bookworm',
      errors: [
        {
          messageId: 'large',
          line: 1,
          message:
            'The final image is built on `debian:bookworm`, a full-size variant with documentation, man pages and locale files the app does not need at run time; consider `debian:bookworm-slim`.',
        },
      ],
    },
    {
      code: 'FROM debian:latest',
      errors: [
        {
          messageId: 'large',
          line: 1,
          message:
            'The final image is built on `debian:latest`, a full-size variant with documentation, man pages and locale files the app does not need at run time; consider `debian:stable-slim`.',
        },
      ],
    },
    {
      code: 'FROM node:latest',
      errors: [
        {
          messageId: 'large',
          line: 1,
          message:
            'The final image is built on `node:latest`, a full-size variant with compilers, docs and tools the app does not need at run time; consider `node:slim`.',
        },
      ],
    },
    // The suggestion carries the tag: a backtick in it is fenced, as the image's own span is.
    {
      code: 'FROM python:3.12`rc',
      errors: [
        {
          messageId: 'large',
          line: 1,
          message:
            'The final image is built on ``python:3.12`rc``, a full-size variant with compilers, docs and tools the app does not need at run time; consider ``python:3.12`rc-slim``.',
        },
      ],
    },
    // Docker official images however named, and mirrors of them (a `library/` path), keep the name as written.
    ...[
      ['library/python:3.12', 'library/python:3.12-slim'],
      ['docker.io/python:3.12', 'docker.io/python:3.12-slim'],
      ['docker.io/library/python:3.12', 'docker.io/library/python:3.12-slim'],
      ['index.docker.io/library/ruby:3.3', 'index.docker.io/library/ruby:3.3-slim'],
      ['public.ecr.aws/docker/library/python:3.12', 'public.ecr.aws/docker/library/python:3.12-slim'],
      ['mirror.gcr.io/library/debian:bookworm', 'mirror.gcr.io/library/debian:bookworm-slim', DEBIAN_EXTRA],
      ['harbor.example.com/dockerhub/library/python:3.12', 'harbor.example.com/dockerhub/library/python:3.12-slim'],
      ['public.ecr.aws/docker/library/eclipse-temurin:21-jdk', 'public.ecr.aws/docker/library/eclipse-temurin:21-jre'],
    ].map(([image, suggestion, extra]) => ({
      code: `FROM ${image}`,
      errors: [{ messageId: 'large', line: 1, message: large(image, suggestion, extra) }],
    })),
    // Each family's tags put `slim` where Docker Hub has it: node after the suite, python, ruby and perl before it
    // (perl before `threaded` too), python after `rc`; a JRE tag of eclipse-temurin names `jre` after the version.
    ...[
      ['node:20', 'node:20-slim'],
      ['node:20-bookworm', 'node:20-bookworm-slim'],
      ['node:lts-bookworm', 'node:lts-bookworm-slim'],
      ['node:bookworm', 'node:bookworm-slim'],
      ['node:lts', 'node:lts-slim'],
      ['python:3.12-bookworm', 'python:3.12-slim-bookworm'],
      ['python:bookworm', 'python:slim-bookworm'],
      ['python:3.13-rc', 'python:3.13-rc-slim'],
      ['python:3.13-rc-bookworm', 'python:3.13-rc-slim-bookworm'],
      ['ruby:3.3-bookworm', 'ruby:3.3-slim-bookworm'],
      ['ruby:bookworm', 'ruby:slim-bookworm'],
      ['perl:5.40-bookworm', 'perl:5.40-slim-bookworm'],
      ['perl:5.40-threaded-bookworm', 'perl:5.40-slim-threaded-bookworm'],
      ['perl:threaded', 'perl:slim-threaded'],
      ['eclipse-temurin:21', 'eclipse-temurin:21-jre'],
      ['eclipse-temurin:21-noble', 'eclipse-temurin:21-jre-noble'],
      ['eclipse-temurin:21-jdk-noble', 'eclipse-temurin:21-jre-noble'],
      ['eclipse-temurin:latest', 'eclipse-temurin:<version>-jre'],
    ].map(([image, suggestion]) => ({
      code: `FROM ${image}`,
      errors: [{ messageId: 'large', line: 1, message: large(image, suggestion) }],
    })),
    // Big-to-small variants of images that have them: a JRE Tomcat, the CUDA runtime without the compiler, swift's slim.
    ...[
      ['tomcat:10.1-jdk17-temurin', 'tomcat:10.1-jre17-temurin'],
      ['tomcat:10.1-jdk21-temurin-jammy', 'tomcat:10.1-jre21-temurin-jammy'],
      ['tomcat:10.1-jdk21', 'tomcat:10.1-jre21'],
      ['nvidia/cuda:12.1.1-devel-ubuntu22.04', 'nvidia/cuda:12.1.1-runtime-ubuntu22.04', CUDA_EXTRA],
      ['nvidia/cuda:12.1.1-cudnn8-devel-ubuntu22.04', 'nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04', CUDA_EXTRA],
      ['nvcr.io/nvidia/cuda:12.4.1-devel-ubuntu22.04', 'nvcr.io/nvidia/cuda:12.4.1-runtime-ubuntu22.04', CUDA_EXTRA],
      ['pytorch/pytorch:2.3.1-cuda12.1-cudnn8-devel', 'pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime', CUDA_EXTRA],
      ['swift:5.10', 'swift:5.10-slim'],
      ['swift:latest', 'swift:slim'],
    ].map(([image, suggestion, extra]) => ({
      code: `FROM ${image}`,
      errors: [{ messageId: 'large', line: 1, message: large(image, suggestion, extra) }],
    })),
    // The .NET SDK is Microsoft's, not a Docker official image: it keeps its own entry.
    {
      code: 'FROM mcr.microsoft.com/dotnet/sdk:8.0',
      errors: [
        {
          messageId: 'large',
          line: 1,
          message:
            'The final image is built on `mcr.microsoft.com/dotnet/sdk:8.0`, a full-size variant with compilers, docs and tools the app does not need at run time; consider mcr.microsoft.com/dotnet/aspnet or mcr.microsoft.com/dotnet/runtime.',
        },
      ],
    },
    { code: 'FROM golang:1.22\nRUN go build', errors: [{ messageId: 'buildImage', line: 1 }] },
    {
      code: 'FROM golang:1.22-alpine\nRUN go build',
      errors: [
        {
          messageId: 'buildImage',
          message:
            'The final image is built on `golang:1.22-alpine`, a build image with the Go toolchain, which the app does not need at run time; consider a build stage on golang and a final stage on gcr.io/distroless/static or scratch.',
        },
      ],
    },
    ...['maven:3.9-eclipse-temurin-21', 'gradle:8-jdk21-alpine'].map((image) => ({
      code: `FROM ${image}`,
      errors: [{ messageId: 'buildImage' as const, line: 1 }],
    })),
    // The final stage builds FROM an earlier stage: its base counts.
    { code: 'FROM ruby:3.3 AS base\nFROM base', errors: [{ messageId: 'large', line: 1 }] },
  ],
});

// Review s44 (lintfn): rust's -slim and -alpine tags still hold the whole toolchain, as golang's -alpine does.
ruleTester.run(rule, {
  valid: ['FROM rust:1.79-slim AS build\nRUN cargo build --release\nFROM debian:12-slim\nCOPY --from=build /t /t'],
  invalid: [
    'rust:1.79',
    'rust:1.79-slim',
    'rust:1.79-slim-bookworm',
    'rust:1-alpine3.20',
    'docker.io/library/rust:alpine',
  ].map((image) => ({
    code: `FROM ${image}\nCOPY target/release/app /app`,
    errors: [
      {
        messageId: 'buildImage' as const,
        line: 1,
        message: `The final image is built on \`${image}\`, a build image with the Rust compiler, cargo and tools, which the app does not need at run time; consider a build stage on rust and a final stage on debian:<version>-slim, distroless or scratch.`,
      },
    ],
  })),
});
