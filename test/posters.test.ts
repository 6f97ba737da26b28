import { describe, expect, it } from 'vitest';
import { decoderReason } from '../src/posters.js';

describe('decoderReason', () => {
  it("keeps the last line: libvips' shared error buffer may carry another decode's failure before this one's", () => {
    const error = new Error('pngload_buffer: end of stream\nVipsJpeg: premature end of JPEG image\n');
    expect(decoderReason(error)).toBe('VipsJpeg: premature end of JPEG image');
  });

  it('says something even for an empty message', () => {
    expect(decoderReason(new Error(''))).toBe('unknown decoder error');
    expect(decoderReason('plain')).toBe('plain');
  });
});
