// Findings for reporter tests: one on a Dockerfile line, one on an image (optionally attributed to a Dockerfile line).
import type { Check, Finding } from '../../src/report/types.js';

export function dockerfileFinding(file: string): Finding {
  return {
    code: 'DF017',
    rule: 'add-instead-of-copy',
    severity: 'warning',
    message: 'Use COPY.',
    messageId: 'add',
    location: { kind: 'dockerfile', file, line: 3, column: 1, endLine: 3, endColumn: 17 },
  };
}

export function imageFinding(image: string, file?: string): Finding {
  return {
    code: 'IM009',
    rule: 'secrets-in-image',
    severity: 'error',
    message: '/srv/.env is in the image.',
    messageId: 'secret',
    location: { kind: 'image', image, layerIndex: 1, path: '/srv/.env', ...(file ? { file, line: 7 } : {}) },
  };
}

/** A failed wasted-bytes budget with two places, the biggest first (the machine formats' budget tests). */
export const wastedBudget: Check = {
  id: 'maxWastedBytes',
  title: 'wasted bytes',
  status: 'fail',
  value: 1_410_000,
  limit: 500_000,
  unit: 'bytes',
  message: 'wasted bytes 1.41 MB is over the 500 kB limit (maxWastedBytes)',
  locations: [
    { file: 'Dockerfile', line: 13, layerIndex: 2, bytes: 1_000_000, text: 'RUN curl -o /tmp/tool.tgz https://x' },
    { file: 'Dockerfile', line: 15, layerIndex: 3, bytes: 405_000, text: 'COPY app/ /app/' },
  ],
  target: 'app.tar:app:1',
  image: 'app.tar',
};
