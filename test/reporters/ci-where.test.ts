// A place reads one way in every report: the "Fix first" rows of the text and Markdown reports, the budget rows, the
// machine formats' advice and the HTML findings table all write `FILE:LINE (layer N, SIZE)` (placeText).
import { checkAdvice, checkWhere, findingWhere, placeText } from '../../src/reporters/index.js';
import type { Check, Finding } from '../../src/report/types.js';

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
    [{ kind: 'image', image: 'app.tar' }, ''],
    [{ kind: 'dockerfile', file: 'Dockerfile', line: 4, column: 1 }, 'Dockerfile:4'],
  ] as [Finding['location'], string][])('%j reads %s', (location, where) => {
    expect(findingWhere(finding(location))).toBe(where);
  });
});

describe('placeText', () => {
  it.each([
    [{ file: 'Dockerfile', line: 13, layerIndex: 2, bytes: 1_000_000 }, 'Dockerfile:13 (layer 2, 1.00 MB)'],
    [{ layerIndex: 0, bytes: 11_500_000 }, 'layer 0 (11.5 MB)'],
    [
      { file: 'Dockerfile', line: 19, layerIndex: 3, bytes: 106, rule: 'IM009' },
      'Dockerfile:19 (IM009, layer 3, 106 B)',
    ],
    [{ file: 'Dockerfile', line: 4 }, 'Dockerfile:4'],
  ])('%j reads %s', (place, text) => {
    expect(placeText(place)).toBe(text);
  });

  it("a failed budget's advice names its place as the budget rows do", () => {
    const check: Check = {
      id: 'maxJunkBytes',
      title: 'junk',
      status: 'fail',
      value: 20_000_000,
      limit: 1_000_000,
      unit: 'bytes',
      message: 'junk is over',
      locations: [{ layerIndex: 0, bytes: 11_500_000, text: 'ADD file:abc in /' }],
      target: 'app.tar:app:1',
    };
    expect(checkAdvice(check)).toBe('fix first: layer 0 (11.5 MB): ADD file:abc in /');
  });

  it("a layer budget's advice marks its place's size as a tar size, as its rows do", () => {
    const check: Check = {
      id: 'maxLayerBytes',
      title: 'biggest layer of yours',
      status: 'fail',
      value: 11_500_000,
      limit: 1_000_000,
      unit: 'bytes',
      measure: 'tar',
      message: 'biggest layer of yours 11.5 MB (tar) is over the 1.00 MB limit (maxLayerBytes)',
      locations: [{ layerIndex: 0, bytes: 11_500_000, text: 'ADD file:abc in /' }],
      target: 'app.tar:app:1',
    };
    expect(checkAdvice(check)).toBe('fix first: layer 0 (11.5 MB (tar)): ADD file:abc in /');
    expect(checkWhere(check)).toBe('layer 0 (11.5 MB (tar))');
  });
});
