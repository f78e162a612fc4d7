import { cleanCreatedBy, instructionKey, mapHistory } from '../../src/image/history.js';

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
    // After SHELL ["/bin/sh", "-ec"] or ["sh", "-e", "-c"], classic: RUN and metadata steps.
    ['/bin/sh -ec make', 'RUN make'],
    ['|1 A=b sh -e -c make', 'RUN make'],
    // A build arg's value with spaces in it, as both builders write it (unquoted): the prefix goes all the same, or a
    // layer's name (its SARIF fingerprint) would change with the value.
    ['|2 A=1 B=x y /bin/sh -c make', 'RUN make'],
    ['RUN |2 A=hello  world B=2 /bin/sh -c make # buildkit', 'RUN make'],
    ['|1 FLAGS=-O2 -g -c /bin/bash -o pipefail -c make', 'RUN make'],
    ['/bin/sh -ec #(nop) COPY file:ab in /a.txt ', 'COPY file:ab in /a.txt'],
    ['sh -e -c #(nop)  ENV X=1', 'ENV X=1'],
    ['/bin/bash -o pipefail -c #(nop)  CMD ["app"]', 'CMD ["app"]'],
    // An exec-form RUN is its argv: the shell's when it runs one.
    ['sh -c echo hi > /x', 'RUN echo hi > /x'],
    ['cp /a /b', 'cp /a /b'],
    ['', ''],
  ])('%s', (input, expected) => {
    expect(cleanCreatedBy(input)).toBe(expected);
  });
});

describe('instructionKey', () => {
  it.each([
    // Runs of spaces, as a line continuation leaves them.
    ['RUN apt-get update  &&   apt-get install -y curl', 'RUN apt-get update && apt-get install -y curl'],
    // ENV and LABEL: buildah records the line as written, the classic builder the values it parsed.
    ['LABEL a="x y"       b="z"', 'LABEL a=x y b=z'],
    ['LABEL a=x y b=z', 'LABEL a=x y b=z'],
    ["ENV A='1 2'", 'ENV A=1 2'],
    ['ENV A 1 2', 'ENV A=1 2'],
    // Exec form: JSON as written, or Go's list as the classic builder writes it.
    ['CMD ["python3", "/app/app.py"]', 'CMD ["python3","/app/app.py"]'],
    ['CMD ["python3" "/app/app.py"]', 'CMD ["python3","/app/app.py"]'],
    ['ENTRYPOINT ["/bin/tini" "--"]', 'ENTRYPOINT ["/bin/tini","--"]'],
    // Shell form: the classic builder records the argv it runs under the default shell.
    ['CMD python3 app.py', 'CMD ["/bin/sh","-c","python3 app.py"]'],
    ['CMD ["/bin/sh" "-c" "python3 app.py"]', 'CMD ["/bin/sh","-c","python3 app.py"]'],
    // EXPOSE: BuildKit writes the ports as Go prints the config's map.
    ['EXPOSE 8080', 'EXPOSE 8080/tcp'],
    ['EXPOSE map[8080/tcp:{}]', 'EXPOSE 8080/tcp'],
    ['EXPOSE 443 80/tcp 53/udp', 'EXPOSE 443/tcp 53/udp 80/tcp'],
    ['EXPOSE map[443/tcp:{} 53/udp:{} 80/tcp:{}]', 'EXPOSE 443/tcp 53/udp 80/tcp'],
    // Real differences stay.
    ['EXPOSE 8081', 'EXPOSE 8081/tcp'],
    ['CMD ["python3", "app.py"]', 'CMD ["python3","app.py"]'],
    ['RUN echo "a"', 'RUN echo "a"'],
    ['COPY dir:2d05 in /app', 'COPY dir:2d05 in /app'],
    ['', ''],
  ])('%s', (input, expected) => {
    expect(instructionKey(input)).toBe(expected);
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
