// MLLP framing: however TCP/TLS cuts a pipelining sender's byte stream (several frames in one chunk,
// a frame over many chunks, a cut between FS and CR), every frame comes out once, whole, in order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrame, MAX_FRAME_BYTES, mllpFrame, MllpFrameReader } from './mllp-framing.js';

const segmentText = fc.stringMatching(/^[A-Za-z0-9|^~\\&ÄéŽ ]{1,40}$/);
const messageText = fc.array(segmentText, { minLength: 1, maxLength: 5 }).map((segments) => `MSH|${segments.join('\r')}`);

function readAll(stream: Buffer, cuts: number[]): string[] {
  const reader = new MllpFrameReader();
  const frames: string[] = [];
  let at = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    frames.push(...reader.push(stream.subarray(at, cut)));
    at = cut;
  }
  frames.push(...reader.push(stream.subarray(at)));
  return frames;
}

describe('MllpFrameReader', () => {
  it('hands out each frame once, whole and in order, wherever the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(messageText, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), (messages, rawCuts) => {
        const stream = Buffer.concat(messages.map(mllpFrame));
        const cuts = rawCuts.map((cut) => cut % (stream.length + 1));
        expect(readAll(stream, cuts)).toEqual(messages);
      }),
      { numRuns: 500, seed: 20261206 },
    );
  });

  it('waits for the CR after FS (a cut between them), and skips bytes outside frames', () => {
    const reader = new MllpFrameReader();
    const frame = mllpFrame('MSH|^~\\&|A');
    expect(reader.push(Buffer.concat([Buffer.from('noise\r\n'), frame.subarray(0, frame.length - 1)]))).toEqual([]);
    expect(reader.push(frame.subarray(frame.length - 1))).toEqual(['MSH|^~\\&|A']);
  });

  it('refuses a frame that never ends before it fills memory', () => {
    const reader = new MllpFrameReader();
    reader.push(Buffer.from([0x0b]));
    expect(() => reader.push(Buffer.alloc(MAX_FRAME_BYTES + 1, 0x41))).toThrow(RangeError);
  });

  it('decodes a frame in the character set its MSH-18 declares, also after leading line breaks', () => {
    const msh = (charset: string) => `MSH|^~\\&|EHR|GENERAL|WARDLINE|HUB|20260101||ADT^A08|1|P|2.5||||||${charset}\rPID|1||M1||Müller`;
    expect(decodeFrame(Buffer.from(msh('8859/1'), 'latin1'))).toBe(msh('8859/1'));
    expect(decodeFrame(Buffer.from(`\r\n${msh('8859/1')}`, 'latin1'))).toBe(`\r\n${msh('8859/1')}`);
    expect(decodeFrame(Buffer.from(msh('UNICODE UTF-8'), 'utf8'))).toBe(msh('UNICODE UTF-8'));
    // Undeclared 8859-1 bytes are not read as something else: they show as U+FFFD, which the reader refuses.
    expect(decodeFrame(Buffer.from(msh(''), 'latin1'))).toContain('\uFFFD');
  });
});
