// Findings for reporter tests: one on a Dockerfile line, one on an image (optionally attributed to a Dockerfile line).
import type { Finding } from '../../src/report/types.js';

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
