// Where a zstd blob's frames end (RFC 8878), read from its bytes alone, so that bytes after its last frame get the
// same words from every zstd decoder: each backend says something of its own about them ("Unknown frame descriptor",
// "invalid zstd data"), which read as a corrupt frame rather than as a blob that goes on after its stream.
// Only headers are read (a frame's, its blocks', a skippable frame's size): nothing is decoded.

/**
 * The message for bytes after a zstd blob's last frame. zstd has no padding (`zstd -d` refuses zeros there too), so
 * unlike gzip's rule (AFTER_GZIP_STREAM) any byte that starts no frame is the error.
 */
export const AFTER_ZSTD_STREAM = 'the blob goes on after its zstd stream ends, with bytes that start no zstd frame';

const FRAME_MAGIC = 0xfd2fb528;
/** Skippable frames' magic numbers are 0x184D2A50 to 0x184D2A5F. */
const SKIPPABLE_MAGIC = 0x184d2a50;

type State = 'magic' | 'descriptor' | 'header' | 'block' | 'skippable-size' | 'after' | 'stopped';

export class ZstdFrameScanner {
  private state: State = 'magic';
  /** The bytes of the header being read, and how many it needs. */
  private header = Buffer.alloc(14);
  private have = 0;
  private need = 4;
  /** Bytes to pass over (a block's content, a skippable frame's data, a checksum) before the next header. */
  private skip = 0;
  /** What comes after the current frame's last block: its checksum's 4 bytes, or none. */
  private checksum = 0;
  private frames = 0;

  /** Whether bytes were found, after at least one whole frame, where a frame should start and none does. */
  get goesOnAfterStream(): boolean {
    // Fewer bytes than a magic number after the last frame start no frame either.
    return this.state === 'after' || (this.state === 'magic' && this.frames > 0 && this.have > 0);
  }

  feed(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && this.state !== 'after' && this.state !== 'stopped') {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - at);
        this.skip -= n;
        at += n;
        continue;
      }
      const n = Math.min(this.need - this.have, chunk.length - at);
      chunk.copy(this.header, this.have, at, at + n);
      this.have += n;
      at += n;
      if (this.have === this.need) this.parsed();
    }
  }

  private expect(state: State, need: number, skip = 0): void {
    this.state = state;
    this.need = need;
    this.have = 0;
    this.skip = skip;
  }

  private parsed(): void {
    const h = this.header;
    switch (this.state) {
      case 'magic': {
        const magic = h.readUInt32LE(0);
        if (magic === FRAME_MAGIC) this.expect('descriptor', 1);
        else if ((magic & 0xfffffff0) >>> 0 === SKIPPABLE_MAGIC) this.expect('skippable-size', 4);
        // The first frame's bytes are the decoder's to judge: only what follows a whole frame is this scanner's.
        else this.expect(this.frames > 0 ? 'after' : 'stopped', 0);
        return;
      }
      case 'descriptor': {
        const d = h[0];
        const fcsFlag = d >> 6;
        const single = (d >> 5) & 1;
        this.checksum = (d >> 2) & 1 ? 4 : 0;
        const dictionary = [0, 1, 2, 4][d & 3];
        const fcs = fcsFlag === 0 ? single : [0, 2, 4, 8][fcsFlag];
        const rest = (single ? 0 : 1) + dictionary + fcs;
        if (rest === 0) this.expect('block', 3);
        else this.expect('header', rest);
        return;
      }
      case 'header':
        this.expect('block', 3);
        return;
      case 'block': {
        const b = h[0] | (h[1] << 8) | (h[2] << 16);
        const last = b & 1;
        const type = (b >> 1) & 3;
        const size = b >>> 3;
        const content = type === 1 ? 1 : size;
        if (!last) this.expect('block', 3, content);
        else {
          this.frames++;
          this.expect('magic', 4, content + this.checksum);
        }
        return;
      }
      case 'skippable-size':
        this.frames++;
        this.expect('magic', 4, h.readUInt32LE(0));
        return;
      default:
    }
  }
}
