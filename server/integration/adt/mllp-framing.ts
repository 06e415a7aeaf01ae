// MLLP framing of one connection's byte stream: each message is VT, its bytes, FS CR. A sender that
// pipelines (writes the next frames before the previous ACKs, as interface engines with a send
// window do) makes TCP/TLS deliver chunks holding several frames, or a frame cut anywhere, even
// between FS and CR; this reader hands out each whole frame once, in order, whatever the cuts.
// (@medplum/hl7's connection only ends a frame on a chunk that ends with FS CR, so it joins
// pipelined frames into one text and can wait forever on a frame cut between FS and CR.)
import { SINGLE_BYTE_CHARSETS } from './hl7-text.js';

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;
const LF = 0x0a;

/** The bytes one frame may hold: a larger "frame" is not an ADT message (and must not fill memory). */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

/**
 * A frame's text, in the character set its MSH-18 declares: ISO 8859-1 or 8859-15 as declared, else
 * UTF-8 (which ASCII is part of). Bytes that are not valid UTF-8 become U+FFFD, which the message
 * reader refuses: a name is never stored with characters the sender did not send.
 */
export function decodeFrame(bytes: Buffer): string {
  // The MSH segment: the first line (some senders put line breaks before it).
  let start = 0;
  while (start < bytes.length && (bytes[start] === CR || bytes[start] === LF)) start++;
  const cr = bytes.indexOf(CR, start);
  const lf = bytes.indexOf(LF, start);
  const headerEnd = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
  const header = bytes.toString('latin1', start, headerEnd < 0 ? bytes.length : headerEnd);
  const charset = header.startsWith('MSH') && header.length > 3 ? (header.split(header[3]!)[17] ?? '').trim().toUpperCase() : '';
  const decoder = SINGLE_BYTE_CHARSETS[charset];
  if (decoder === 'latin1') return bytes.toString('latin1');
  if (decoder) return new TextDecoder(decoder).decode(bytes);
  return bytes.toString('utf8');
}

export class MllpFrameReader {
  /** Inside a frame: its bytes so far (after the VT), each chunk's part copied once. */
  private open = false;
  private parts: Buffer[] = [];
  private size = 0;
  /** The last byte so far is an FS: the frame ends if the next byte is a CR. */
  private endsWithFs = false;

  /** True while a frame has begun (its VT came) and has not ended yet. */
  get isInsideFrame(): boolean {
    return this.open;
  }

  /**
   * Adds a chunk; returns the frames it completes (the text between VT and FS, decoded by decodeFrame).
   * Bytes outside a frame (before a VT) are skipped, as MLLP receivers do. Each byte is looked at
   * once, however the frame is cut (a frame sent in many small chunks costs no more than one).
   * Throws when a frame grows past MAX_FRAME_BYTES (the connection should then be closed).
   */
  push(chunk: Buffer): string[] {
    const frames: string[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (!this.open) {
        const start = chunk.indexOf(VT, at);
        if (start < 0) break;
        this.open = true;
        at = start + 1;
        continue;
      }
      if (this.endsWithFs) {
        this.endsWithFs = false;
        if (chunk[at] === CR) {
          frames.push(this.finish(1));
          at += 1;
          continue;
        }
      }
      let end = chunk.indexOf(FS, at);
      while (end >= 0 && end + 1 < chunk.length && chunk[end + 1] !== CR) end = chunk.indexOf(FS, end + 1);
      if (end < 0 || end + 1 >= chunk.length) {
        // No FS CR in this chunk: keep the rest (an FS at its very end may be followed by CR next).
        this.add(chunk.subarray(at));
        this.endsWithFs = end >= 0;
        break;
      }
      this.add(chunk.subarray(at, end));
      frames.push(this.finish(0));
      at = end + 2;
    }
    if (this.size > MAX_FRAME_BYTES) throw new RangeError('An MLLP frame is larger than the hub accepts.');
    return frames;
  }

  private add(bytes: Buffer): void {
    if (bytes.length === 0) return;
    // A copy, so the socket's chunk can be freed.
    this.parts.push(Buffer.from(bytes));
    this.size += bytes.length;
  }

  /** The frame's text, without the `drop` bytes at its end (an FS kept from the previous chunk). */
  private finish(drop: number): string {
    const body = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    this.open = false;
    this.parts = [];
    this.size = 0;
    return decodeFrame(body.subarray(0, Math.max(0, body.length - drop)));
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
