// explore draws a line's styled pieces as one text node, the styles already in its text (styledText): the frame must
// be the one ink's own <Text color bold inverse dimColor> per piece made, with colours on.
import { Box, renderToString, Text } from 'ink';
import { Line, styledText } from '../../src/ui/explore/ExploreApp.js';
import { inkChalk } from '../../src/ui/ink-line-cache.js';

type Style = { color?: string; bold?: boolean; inverse?: boolean; dimColor?: boolean };

describe('explore line styles', () => {
  let level = 0;
  beforeAll(async () => {
    // The chalk ink colours with: at level 0 (no colour, as under jest) both ways draw plain text alike.
    const chalk = (await inkChalk()) as unknown as { level: number };
    level = chalk.level;
    chalk.level = 3;
  });
  afterAll(async () => {
    ((await inkChalk()) as unknown as { level: number }).level = level;
  });

  const styles: Style[] = [
    {},
    { color: 'red' },
    { color: 'green', bold: true },
    { bold: true },
    { inverse: true, bold: false },
    { inverse: true, color: 'yellow' },
    { dimColor: true },
    { dimColor: true, bold: true, color: 'magenta', inverse: true },
  ];

  /** ink's own frame of `pieces`, a <Text> per piece: what the precomposed line must equal. */
  const inkFrame = (pieces: ({ text: string } & Style)[], width: number) =>
    renderToString(
      <Box width={width}>
        <Text>
          {pieces.map(({ text, ...style }, i) => (
            <Text key={i} {...style}>
              {text}
            </Text>
          ))}
        </Text>
      </Box>,
    );

  it('a row of pieces, each styled in its text, is the frame of a <Text> per piece', () => {
    const texts = [' +', '  1.20 MB ', 'W', 'J', '   usr/', '', ' lib'];
    const pieces = texts.map((text, i) => ({ text, ...styles[i % styles.length] }));
    const ink = inkFrame(pieces, 60);
    const precomposed = renderToString(
      <Box width={60}>
        <Text>{pieces.map((p) => styledText(p)).join('')}</Text>
      </Box>,
    );
    expect(ink).toContain('\u001b[');
    expect(precomposed).toBe(ink);
  });

  it.each(styles)('one piece styled %j is the frame of a <Text> with those props', (style) => {
    const ink = renderToString(<Text {...style}>{'> 12.3 MB W  usr/'}</Text>);
    expect(renderToString(<Text>{styledText({ text: '> 12.3 MB W  usr/', ...style })}</Text>)).toBe(ink);
  });

  it('a colour that is not one of chalk names is left to ink (undefined)', () => {
    expect(styledText({ text: 'x', color: '#ff0000' })).toBeUndefined();
  });

  // The runs outside printable ASCII are text nodes measured as blanks of their width, the run written in their place.
  it.each([
    ['a directory', [{ text: ' +    979 B      ▾ conf.d/', color: 'green' }]],
    ['a link', [{ text: ' ' }, { text: '   0 B ', color: 'red' }, { text: '  10-yes.conf → /usr/share/a.conf' }]],
    ['a cut command', [{ text: '>L1  484 MB 81.2 MB RUN apt-get update  && apt-get install…', inverse: true }]],
    [
      'wide and joined',
      [
        { text: '日本語/ ⇒ /é́x · ok', bold: true },
        { text: '🙂', color: 'yellow' },
      ],
    ],
  ])('a line with %s is the frame of one <Text> per piece', (_, pieces: ({ text: string } & Style)[]) => {
    const ink = inkFrame(pieces, 70);
    const line = renderToString(
      <Box width={70}>
        <Line pieces={pieces} />
      </Box>,
    );
    expect(line).toBe(ink);
  });

  it('a run of no width is drawn as before, a text node of its own', () => {
    const before = renderToString(
      <Box width={70}>
        <Box height={1}>
          <Text>a</Text>
          <Text>{'\u200b'}</Text>
          <Text>b</Text>
        </Box>
      </Box>,
    );
    expect(
      renderToString(
        <Box width={70}>
          <Line pieces={[{ text: 'a\u200bb' }]} />
        </Box>,
      ),
    ).toBe(before);
  });
});
