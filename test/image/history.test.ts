import { cleanCreatedBy, mapHistory } from '../../src/image/history.js';

describe('cleanCreatedBy', () => {
  it.each([
    ['/bin/sh -c #(nop)  CMD ["sh"]', 'CMD ["sh"]'],
    ['/bin/sh -c #(nop) ADD file:ce026b62 in / ', 'ADD file:ce026b62 in /'],
    ['/bin/sh -c apt-get update && apt-get install -y curl', 'RUN apt-get update && apt-get install -y curl'],
    ['RUN /bin/sh -c apt-get update # buildkit', 'RUN apt-get update'],
    ['COPY /out/ /app/ # buildkit', 'COPY /out/ /app/'],
    ['|1 VERSION=2 /bin/sh -c make', 'RUN make'],
    ['RUN |2 A=1 B=2 /bin/sh -c make install # buildkit', 'RUN make install'],
    ['RUN cp /a /b', 'RUN cp /a /b'],
    // After SHELL ["/bin/bash", "-o", "pipefail", "-c"], classic and BuildKit.
    ['/bin/bash -o pipefail -c curl -fsSL x | sh', 'RUN curl -fsSL x | sh'],
    ['RUN |1 V=1 /bin/bash -o pipefail -c curl x | sh # buildkit', 'RUN curl x | sh'],
    ['/usr/bin/env bash -c make', '/usr/bin/env bash -c make'],
    ['', ''],
  ])('%s', (input, expected) => {
    expect(cleanCreatedBy(input)).toBe(expected);
  });
});

describe('mapHistory', () => {
  it('gives each non-empty step the next layer', () => {
    const map = mapHistory(
      { history: [{ created_by: 'ADD x /' }, { created_by: 'ENV A=1', empty_layer: true }, { created_by: 'RUN b' }] },
      2,
    );
    expect(map.known).toBe(true);
    expect(map.layerSteps.map((s) => s?.index)).toEqual([0, 2]);
  });

  it('marks attribution unknown instead of shifting when the counts differ', () => {
    const map = mapHistory({ history: [{ created_by: 'ADD x /' }, { created_by: 'RUN b' }] }, 3);
    expect(map.known).toBe(false);
    expect(map.layerSteps).toEqual([undefined, undefined, undefined]);
    expect(mapHistory({}, 1).known).toBe(false);
  });
});
