// The "Fix first" rows of the ci text and Markdown reports name a place as the budget rows do: `FILE:LINE (layer N)`.
import { findingWhere } from '../../src/reporters/ci-text.js';
import type { Finding } from '../../src/report/types.js';

const finding = (location: Finding['location']): Finding => ({
  code: 'IM003',
  rule: 'deleted-file-still-shipped',
  severity: 'warning',
  message: 'm',
  messageId: 'm',
  location,
});

describe('findingWhere', () => {
  it.each([
    [{ kind: 'image', image: 'app.tar', layerIndex: 1, file: 'Dockerfile', line: 11 }, 'Dockerfile:11 (layer 1)'],
    [{ kind: 'image', image: 'app.tar', layerIndex: 1 }, 'layer 1'],
    [{ kind: 'dockerfile', file: 'Dockerfile', line: 4, column: 1 }, 'Dockerfile:4'],
  ] as [Finding['location'], string][])('%j reads %s', (location, where) => {
    expect(findingWhere(finding(location), 'app.tar:app:1')).toBe(where);
  });
});
