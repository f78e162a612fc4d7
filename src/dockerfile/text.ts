// A Dockerfile's bytes as text, one decision for every command that reads one: `lint` (files and stdin) and
// `--dockerfile` (analyze, explore, ci, bases). UTF-8 with or without its byte order mark is read; UTF-16 and binary
// bytes are one error line each, since docker build cannot read them either.
import { isUtf8 } from 'node:buffer';
import { SourceError } from '../errors.js';

/**
 * A Dockerfile's bytes (a file's or stdin's) as text, without the UTF-8 byte order mark it may start with (`bom` says
 * whether it did, for --fix to write it back). Not text (an image, an archive, a binary) is said so instead of linted
 * into nonsense; UTF-16 is named as such, since docker build cannot read it either. `notUtf8Line` is the line of the
 * first byte that is no UTF-8 (a Latin-1 é): it is read as U+FFFD, so text written back from it (--fix) would lose it.
 */
export function dockerfileText(
  bytes: Uint8Array,
  display: string,
  binaryHint = 'pass a Dockerfile (text), not an image or archive; `ballast analyze` reads images',
): { text: string; bom: boolean; notUtf8Line?: number } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf16 = utf16Kind(buffer);
  if (utf16)
    // Windows PowerShell's `>` and Notepad's "Unicode" write UTF-16: its NUL bytes made it "not a text file", which
    // sent the user looking for a binary. docker build reads UTF-8 only (it fails on the first line of such a file).
    throw new SourceError(`${display} is UTF-16 text (${utf16}), which docker build cannot read`, {
      code: 'utf16-input',
      hint: "save it as UTF-8: an editor's Save As with the UTF-8 encoding, or PowerShell's `-Encoding utf8`",
    });
  const bom = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  // Decoded once: the text checked is the text linted.
  const text = buffer.toString('utf8', bom ? 3 : 0);
  if (!looksLikeText(text, buffer.length))
    throw new SourceError(`${display} is not a text file`, {
      code: 'binary-input',
      hint: binaryHint,
    });
  return isUtf8(buffer) ? { text, bom } : { text, bom, notUtf8Line: firstNotUtf8Line(buffer) };
}

/** The 1-based line of the first byte that is no UTF-8. A line break is ASCII, never part of a multi-byte character. */
function firstNotUtf8Line(buffer: Buffer): number | undefined {
  let start = 0;
  for (let line = 1; start <= buffer.length; line++) {
    const end = buffer.indexOf(0x0a, start);
    if (!isUtf8(buffer.subarray(start, end < 0 ? buffer.length : end))) return line;
    if (end < 0) break;
    start = end + 1;
  }
  return undefined;
}

/**
 * Whether bytes are UTF-16 text, and which kind: with the byte order mark Windows writes (FF FE, or FE FF), or without
 * one (iconv's and .NET's UTF-16LE/BE), text with no NUL where at least half the characters are ASCII, as in every
 * Dockerfile (its instructions are); bytes that only look like it are left to the check for binary. Guessing the
 * order without a mark risks no UTF-8 file: an ASCII character in UTF-16 is a NUL and a byte, so any text this
 * accepts has a NUL in every other byte, which UTF-8 text never has.
 */
function utf16Kind(buffer: Buffer): string | undefined {
  const order =
    buffer[0] === 0xff && buffer[1] === 0xfe ? 'le' : buffer[0] === 0xfe && buffer[1] === 0xff ? 'be' : undefined;
  if (order) {
    if (!utf16Text(buffer.subarray(2), order)) return undefined;
    return order === 'le' ? 'little-endian, byte order mark FF FE' : 'big-endian, byte order mark FE FF';
  }
  // A file of a few bytes gives too little to tell the order by (`F\0` could be either).
  if (buffer.length < 8 || !buffer.includes(0)) return undefined;
  if (utf16Text(buffer, 'le')) return 'little-endian, no byte order mark';
  if (utf16Text(buffer, 'be')) return 'big-endian, no byte order mark';
  return undefined;
}

/** Whether bytes read as UTF-16 in this order are text, at least half of it ASCII. */
function utf16Text(bytes: Buffer, order: 'le' | 'be'): boolean {
  const units = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  if (order === 'be') units.swap16();
  const text = units.toString('utf16le');
  // eslint-disable-next-line no-control-regex -- ASCII characters but NUL are what is counted
  const ascii = text.match(/[\u0001-\u007f]/g)?.length ?? 0;
  return looksLikeText(text, text.length) && ascii * 2 >= text.length;
}

/**
 * Whether a Dockerfile's text (`bytes` long) is text. The whole file is looked at (it is under MAX_DOCKERFILE_BYTES):
 * a NUL anywhere, or more than 30% of its bytes being control characters or bytes that are no UTF-8 (the decoder's
 * U+FFFD), is binary. A NUL in the first KB alone let through random or compressed bytes and text with a payload after
 * it. Invalid UTF-8 alone does not decide it: a Dockerfile saved in Latin-1 has a few such bytes (é is one byte) and is
 * linted.
 */
function looksLikeText(text: string, bytes: number): boolean {
  if (text.includes('\0')) return false;
  // Tab, LF, VT, FF, CR are text; the other C0 controls and DEL are not.
  // eslint-disable-next-line no-control-regex -- control characters are what is counted
  const odd = text.match(/[\u0001-\u0008\u000e-\u001f\u007f\ufffd]/g)?.length ?? 0;
  return odd * 10 <= bytes * 3;
}
