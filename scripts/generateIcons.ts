/**
 * Draws the app icons (run once; the PNGs are committed): two people, in colour at
 * 192×192 and as a white outline on transparent at 32×32, as Teams requires.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

type Paint = (x: number, y: number) => [number, number, number, number] | null;

function render(size: number, paint: Paint): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const px = paint((x + 0.5) / size, (y + 0.5) / size) ?? [0, 0, 0, 0];
      png.data.set(px, (y * size + x) * 4);
    }
  }
  return PNG.sync.write(png);
}

const inCircle = (x: number, y: number, cx: number, cy: number, r: number) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
/** Two people (heads and shoulders) in unit coordinates. */
function people(x: number, y: number): boolean {
  const head = (cx: number) => inCircle(x, y, cx, 0.36, 0.1);
  const body = (cx: number) => y > 0.5 && y < 0.72 && inCircle(x, y, cx, 0.72, 0.19);
  return head(0.38) || head(0.62) || body(0.38) || body(0.62);
}

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'appPackage');
const accent: [number, number, number, number] = [91, 95, 199, 255];
const white: [number, number, number, number] = [255, 255, 255, 255];

writeFileSync(
  path.join(dir, 'color.png'),
  render(192, (x, y) => (people(x, y) ? white : accent)),
);
// Outline: white shapes on a transparent background.
writeFileSync(
  path.join(dir, 'outline.png'),
  render(32, (x, y) => (people(x, y) ? white : null)),
);
console.log('icons written to appPackage/');
