/** Generated profile photos: a coloured square with the person's initials, as a JPEG. */
import jpeg from 'jpeg-js';

// 5×7 bitmap glyphs for A–Z; each row is 5 bits, most significant bit on the left.
const GLYPHS: Record<string, number[]> = {
  A: [14, 17, 17, 31, 17, 17, 17],
  B: [30, 17, 17, 30, 17, 17, 30],
  C: [14, 17, 16, 16, 16, 17, 14],
  D: [30, 17, 17, 17, 17, 17, 30],
  E: [31, 16, 16, 30, 16, 16, 31],
  F: [31, 16, 16, 30, 16, 16, 16],
  G: [14, 17, 16, 23, 17, 17, 15],
  H: [17, 17, 17, 31, 17, 17, 17],
  I: [14, 4, 4, 4, 4, 4, 14],
  J: [7, 2, 2, 2, 2, 18, 12],
  K: [17, 18, 20, 24, 20, 18, 17],
  L: [16, 16, 16, 16, 16, 16, 31],
  M: [17, 27, 21, 21, 17, 17, 17],
  N: [17, 17, 25, 21, 19, 17, 17],
  O: [14, 17, 17, 17, 17, 17, 14],
  P: [30, 17, 17, 30, 16, 16, 16],
  Q: [14, 17, 17, 17, 21, 18, 13],
  R: [30, 17, 17, 30, 20, 18, 17],
  S: [15, 16, 16, 14, 1, 1, 30],
  T: [31, 4, 4, 4, 4, 4, 4],
  U: [17, 17, 17, 17, 17, 17, 14],
  V: [17, 17, 17, 17, 17, 10, 4],
  W: [17, 17, 17, 21, 21, 21, 10],
  X: [17, 17, 10, 4, 10, 17, 17],
  Y: [17, 17, 10, 4, 4, 4, 4],
  Z: [31, 1, 2, 4, 8, 16, 31],
  '?': [14, 17, 1, 2, 4, 0, 4],
};

const initial = (s: string) => {
  const c = s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[øØ]/g, 'O')
    .trim()
    .charAt(0)
    .toUpperCase();
  return GLYPHS[c] ? c : '?';
};

function colourFor(id: string): [number, number, number] {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  // HSL with fixed saturation and lightness keeps white initials readable.
  const hue = h % 360;
  const s = 0.55;
  const l = 0.42;
  const k = (n: number) => (n + hue / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

export function generatePhotoJpeg(user: { id: string; givenName: string; surname: string }, size: number): Buffer {
  const [r, g, b] = colourFor(user.id);
  const data = Buffer.alloc(size * size * 4);
  for (let i = 0; i < size * size; i++) data.set([r, g, b, 255], i * 4);
  const letters = [initial(user.givenName), initial(user.surname)];
  const scale = Math.max(1, Math.floor((size * 0.4) / 7));
  const glyphW = 5 * scale;
  const gap = scale;
  const totalW = letters.length * glyphW + (letters.length - 1) * gap;
  const x0 = Math.floor((size - totalW) / 2);
  const y0 = Math.floor((size - 7 * scale) / 2);
  letters.forEach((ch, li) => {
    const rows = GLYPHS[ch]!;
    for (let row = 0; row < 7; row++) {
      for (let col = 0; col < 5; col++) {
        if (!((rows[row]! >> (4 - col)) & 1)) continue;
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const x = x0 + li * (glyphW + gap) + col * scale + dx;
            const y = y0 + row * scale + dy;
            if (x >= 0 && y >= 0 && x < size && y < size) data.set([255, 255, 255, 255], (y * size + x) * 4);
          }
        }
      }
    }
  });
  return Buffer.from(jpeg.encode({ data, width: size, height: size }, 85).data);
}
