import type { ServerResponse } from 'node:http';

/**
 * The subgraph's icon: GraphQL's pink hexagon-and-triangle mark, drawn here at 32×32 and packed as
 * a real ICO (one 32-bit BMP image), so `/favicon.ico` is what every client expects at that path,
 * with no image file or package to ship and nothing fetched from elsewhere.
 */
const SIZE = 32;
const PINK = { r: 0xe1, g: 0x00, b: 0x98 };

/** The mark's geometry in pixel units: a hexagon's six corners, its edges and the triangle inside. */
function mark(): { dots: Array<[number, number]>; segments: Array<[[number, number], [number, number]]> } {
  const centre = SIZE / 2;
  const radius = SIZE * 0.4;
  const dots = Array.from({ length: 6 }, (_, i): [number, number] => {
    const angle = (Math.PI / 3) * i - Math.PI / 2;
    return [centre + radius * Math.cos(angle), centre + radius * Math.sin(angle)];
  });
  const segments = dots.map((dot, i): [[number, number], [number, number]] => [dot, dots[(i + 1) % 6]!]);
  // The triangle joins every other corner, as in the GraphQL logo.
  segments.push([dots[0]!, dots[2]!], [dots[2]!, dots[4]!], [dots[4]!, dots[0]!]);
  return { dots, segments };
}

function distanceToSegment([px, py]: [number, number], [[ax, ay], [bx, by]]: [[number, number], [number, number]]): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Coverage in [0, 1] of each pixel, from 4×4 samples (anti-aliased edges), row 0 at the top. */
function coverage(): number[] {
  const { dots, segments } = mark();
  const inside = (point: [number, number]) =>
    dots.some(([x, y]) => Math.hypot(point[0] - x, point[1] - y) <= 2.6) ||
    segments.some((segment) => distanceToSegment(point, segment) <= 0.9);
  const samples = 4;
  const pixels: number[] = [];
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) if (inside([x + (sx + 0.5) / samples, y + (sy + 0.5) / samples])) hits++;
      }
      pixels.push(hits / (samples * samples));
    }
  }
  return pixels;
}

/** ICONDIR + one ICONDIRENTRY + BITMAPINFOHEADER + BGRA rows bottom-up + the (unused, all-zero) AND mask. */
function encodeIco(alpha: number[]): Buffer {
  const maskRowBytes = Math.ceil(SIZE / 32) * 4;
  const imageBytes = 40 + SIZE * SIZE * 4 + maskRowBytes * SIZE;
  const ico = Buffer.alloc(6 + 16 + imageBytes);
  ico.writeUInt16LE(0, 0); // reserved
  ico.writeUInt16LE(1, 2); // 1 = icon
  ico.writeUInt16LE(1, 4); // one image
  ico.writeUInt8(SIZE, 6);
  ico.writeUInt8(SIZE, 7);
  ico.writeUInt16LE(1, 10); // colour planes
  ico.writeUInt16LE(32, 12); // bits per pixel
  ico.writeUInt32LE(imageBytes, 14);
  ico.writeUInt32LE(22, 18); // the image starts right after the directory
  const bmp = 22;
  ico.writeUInt32LE(40, bmp);
  ico.writeInt32LE(SIZE, bmp + 4);
  ico.writeInt32LE(SIZE * 2, bmp + 8); // an ICO's BMP counts the AND mask's rows too
  ico.writeUInt16LE(1, bmp + 12);
  ico.writeUInt16LE(32, bmp + 14);
  ico.writeUInt32LE(SIZE * SIZE * 4 + maskRowBytes * SIZE, bmp + 20);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const at = bmp + 40 + ((SIZE - 1 - y) * SIZE + x) * 4;
      ico.writeUInt8(PINK.b, at);
      ico.writeUInt8(PINK.g, at + 1);
      ico.writeUInt8(PINK.r, at + 2);
      ico.writeUInt8(Math.round(alpha[y * SIZE + x]! * 255), at + 3);
    }
  }
  return ico;
}

export const FAVICON_ICO: Buffer = encodeIco(coverage());

/** `/favicon.ico`, whether GraphiQL is served or not: browsers ask for it on every page of the origin. */
export function serveFavicon(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'image/x-icon',
    'content-length': String(FAVICON_ICO.length),
    'cache-control': 'public, max-age=86400',
    'x-content-type-options': 'nosniff',
  });
  res.end(FAVICON_ICO);
}
