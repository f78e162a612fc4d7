// JUnit XML as CI systems read it: well-formed (fast-xml-parser's validator), and the tests/failures/skipped counts of
// every suite and of the whole report agreeing with its test cases, which is what GitLab and Jenkins trust.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface JunitCase {
  suite: string;
  name: string;
  classname: string;
  failure?: { type: string; message: string; text: string };
  skipped?: { message: string };
  /** A test that could not run (a file lint could not read), counted apart from failures. */
  error?: { type: string; message: string; text: string };
  systemOut?: string;
}

type Attrs = Record<string, string>;
type RawCase = Attrs & {
  failure?: Attrs & { '#text'?: string };
  error?: Attrs & { '#text'?: string };
  skipped?: Attrs;
  'system-out'?: string;
};
type RawSuite = Attrs & { testcase?: RawCase | RawCase[] };

// XML 1.0's Char production: what a document may hold at all, even as a character reference. fast-xml-parser's
// validator does not check it; expat and the Java parsers CI servers use refuse the whole document.
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Throws unless `xml` is well-formed: fast-xml-parser's validator, and only characters XML 1.0 allows. */
export function checkXml(xml: string, what = 'the report'): void {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`${what} is not well-formed XML: ${JSON.stringify(valid.err)}`);
  const bad = NOT_XML_CHAR.exec(xml);
  if (bad) throw new Error(`${what} holds U+${bad[0].codePointAt(0)!.toString(16)}, which XML 1.0 forbids`);
}

/** Parses a JUnit report; throws when it is not well-formed XML or a count disagrees with the cases. */
export function parseJunit(xml: string): { tests: number; failures: number; cases: JunitCase[] } {
  checkXml(xml, 'JUnit');
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    // An empty <failure .../> or <skipped/> must still be an object, so its presence can be tested.
    alwaysCreateTextNode: false,
  }).parse(xml) as { testsuites: Attrs & { testsuite?: RawSuite | RawSuite[] } };
  const cases: JunitCase[] = [];
  for (const suite of [doc.testsuites.testsuite ?? []].flat()) {
    const own = [suite.testcase ?? []].flat().map((c): JunitCase => ({
      suite: suite.name,
      name: c.name,
      classname: c.classname,
      ...(c.failure !== undefined
        ? { failure: { type: c.failure.type, message: c.failure.message, text: c.failure['#text'] ?? '' } }
        : {}),
      ...(c.error !== undefined
        ? { error: { type: c.error.type, message: c.error.message, text: c.error['#text'] ?? '' } }
        : {}),
      ...(c.skipped !== undefined ? { skipped: { message: c.skipped.message } } : {}),
      ...(c['system-out'] !== undefined ? { systemOut: c['system-out'] } : {}),
    }));
    const counted = (key: string, actual: number) => {
      if (suite[key] !== undefined && Number(suite[key]) !== actual)
        throw new Error(`suite ${suite.name}: ${key}="${suite[key]}" but ${actual} such cases`);
    };
    counted('tests', own.length);
    counted('failures', own.filter((c) => c.failure).length);
    counted('skipped', own.filter((c) => c.skipped).length);
    counted('errors', own.filter((c) => c.error).length);
    cases.push(...own);
  }
  const tests = Number(doc.testsuites.tests);
  const failures = Number(doc.testsuites.failures);
  if (tests !== cases.length) throw new Error(`testsuites tests="${tests}" but ${cases.length} cases`);
  if (failures !== cases.filter((c) => c.failure).length)
    throw new Error(`testsuites failures="${failures}" but ${cases.filter((c) => c.failure).length} failing cases`);
  const errors = cases.filter((c) => c.error).length;
  if (doc.testsuites.errors !== undefined && Number(doc.testsuites.errors) !== errors)
    throw new Error(`testsuites errors="${doc.testsuites.errors}" but ${errors} cases in error`);
  return { tests, failures, cases };
}
