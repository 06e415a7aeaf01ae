// MLLP framing of one connection's byte stream: each message is VT, its bytes, FS CR. A sender that
// pipelines (writes the next frames before the previous ACKs, as interface engines with a send
// window do) makes TCP/TLS deliver chunks holding several frames, or a frame cut anywhere, even
// between FS and CR; this reader hands out each whole frame once, in order, whatever the cuts.
// (@medplum/hl7's connection only ends a frame on a chunk that ends with FS CR, so it joins
// pipelined frames into one text and can wait forever on a frame cut between FS and CR.)
const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;

/** The bytes one frame may hold: a larger "frame" is not an ADT message (and must not fill memory). */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

export class MllpFrameReader {
  private pending: Buffer = Buffer.alloc(0);

  /**
   * Adds a chunk; returns the frames it completes (the text between VT and FS, decoded as UTF-8).
   * Bytes outside a frame (before a VT) are skipped, as MLLP receivers do. Throws when a frame grows
   * past MAX_FRAME_BYTES (the connection should then be closed).
   */
  push(chunk: Buffer): string[] {
    let buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: string[] = [];
    for (;;) {
      const start = buffer.indexOf(VT);
      if (start < 0) {
        buffer = Buffer.alloc(0);
        break;
      }
      let end = buffer.indexOf(FS, start + 1);
      while (end >= 0 && end + 1 < buffer.length && buffer[end + 1] !== CR) end = buffer.indexOf(FS, end + 1);
      if (end < 0 || end + 1 >= buffer.length) {
        buffer = buffer.subarray(start);
        break;
      }
      frames.push(buffer.toString('utf8', start + 1, end));
      buffer = buffer.subarray(end + 2);
    }
    if (buffer.length > MAX_FRAME_BYTES) throw new RangeError('An MLLP frame is larger than the hub accepts.');
    // Keep only the unfinished frame (a copy, so the socket's chunk can be freed).
    this.pending = buffer.length === 0 ? Buffer.alloc(0) : Buffer.from(buffer);
    return frames;
  }
}

/** One message framed for MLLP. */
export function mllpFrame(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const out = Buffer.allocUnsafe(body.length + 3);
  out[0] = VT;
  body.copy(out, 1);
  out[body.length + 1] = FS;
  out[body.length + 2] = CR;
  return out;
}
