// Reading a stream whole, to a bound. Answers that are small by nature (a password piped in, a daemon's JSON, a
// credential helper's output) are read whole, so a stream without end (`< /dev/zero`, a helper printing `yes`, a
// server that never stops) took the memory until the heap ran out.

/**
 * The bytes of `stream`, or undefined when it held more than `limit`: the loop is left there, which destroys the
 * stream, so the rest is not read.
 */
export async function readBounded(stream: AsyncIterable<Buffer>, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += chunk.length;
    if (bytes > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
