/**
 * Draws the PNG icons in public/ from public/icon.svg with Debian's Chromium (no image tools needed):
 * the 180 px touch icon, the 32 px favicon and favicon.ico (16 + 32 px PNGs in an ICO directory).
 * Run after changing the SVG: `node_modules/.bin/tsx scripts/render-icons.ts`.
 */
import { chromium } from "@playwright/test";
import { readFileSync, writeFileSync } from "node:fs";

const svg = readFileSync("public/icon.svg", "utf8");
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();

async function render(size: number, background: string): Promise<Buffer> {
  await page.setViewportSize({ width: size, height: size });
  const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
  await page.setContent(`<html><body style="margin:0;background:${background}"><img src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`);
  await page.waitForFunction(() => document.images[0].complete);
  return page.screenshot({ omitBackground: background === "transparent", clip: { x: 0, y: 0, width: size, height: size } });
}

/** An ICO file holding PNG images (allowed since Windows Vista, read by every browser). */
function ico(images: [size: number, png: Buffer][]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length + 16 * images.length;
  const entries = images.map(([size, png]) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size, 0);
    entry.writeUInt8(size, 1);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map(([, png]) => png)]);
}

// The touch icon is opaque (iOS fills transparency with black); the favicons keep their round corners.
writeFileSync("public/apple-touch-icon.png", await render(180, "#1e3a8a"));
const icon32 = await render(32, "transparent");
writeFileSync("public/icon-32.png", icon32);
writeFileSync("public/favicon.ico", ico([[16, await render(16, "transparent")], [32, icon32]]));
await browser.close();
