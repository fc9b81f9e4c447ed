import { describe, expect, it } from 'vitest';
import jpeg from 'jpeg-js';
import { generatePhotoJpeg } from './photos';

const megan = { id: '48d31887-5fad-4d73-a9f5-3c356e68a038', givenName: 'Megan', surname: 'Bowen' };

describe('generatePhotoJpeg', () => {
  it.each([48, 96, 648])('makes a valid %ipx JPEG', (size) => {
    const img = jpeg.decode(generatePhotoJpeg(megan, size));
    expect([img.width, img.height]).toEqual([size, size]);
  });

  it('is deterministic and differs between people', () => {
    expect(generatePhotoJpeg(megan, 64).equals(generatePhotoJpeg(megan, 64))).toBe(true);
    expect(generatePhotoJpeg(megan, 64).equals(generatePhotoJpeg({ ...megan, id: 'other' }, 64))).toBe(false);
  });

  it('draws initials of accented names', () => {
    const img = jpeg.decode(generatePhotoJpeg({ id: 'z', givenName: 'Zoë', surname: 'Ångström' }, 96));
    // Some near-white pixels: the initials are drawn.
    let white = 0;
    for (let i = 0; i < img.data.length; i += 4) if (img.data[i]! > 230 && img.data[i + 1]! > 230 && img.data[i + 2]! > 230) white++;
    expect(white).toBeGreaterThan(50);
  });
});
