/**
 * Charts as PNG without native modules: the SVG is built here as a string and
 * rasterised by resvg compiled to WebAssembly (npm:@resvg/resvg-wasm).
 *
 * Loading the WebAssembly: the .wasm file ships inside the npm package
 * ("@resvg/resvg-wasm/index_bg.wasm", listed in its package.json "exports").
 * `import.meta.resolve` turns that specifier into a file URL of the package on disk: the
 * Deno npm cache under `deno run`, or the virtual file system that `deno compile` embeds
 * npm packages in (whole package folders, .wasm included), so `Deno.readFile` finds it in
 * both cases without a network fetch or an --include flag.
 *
 * Text: resvg-wasm has no system fonts, and no font ships in our npm dependencies. Rather
 * than embedding a font file, the few labels a chart needs (numbers only) are drawn as
 * seven-segment strokes, i.e. plain SVG paths; the chart has no <text> element at all.
 */
import { initWasm, Resvg } from "@resvg/resvg-wasm";

/** The data of a bar chart: one value and one numeric label per bar. */
export interface BarChart {
  values: number[];
  /** Digits only (e.g. day of month, hour); drawn under the bars. */
  labels: string[];
  /** The part of each value drawn in a paler colour on top (e.g. the cancelled bookings). */
  muted?: number[];
  width: number;
  height: number;
}

let wasmReady: Promise<void> | undefined;

/**
 * Loads and instantiates resvg's WebAssembly once per process (retried after a failure).
 * The first call takes a few hundred milliseconds; call it at start to keep the first
 * chart fast.
 */
export function prepareCharts(): Promise<void> {
  wasmReady ??= (async () => {
    const url = new URL(import.meta.resolve("@resvg/resvg-wasm/index_bg.wasm"));
    await initWasm(await Deno.readFile(url));
  })().catch((error) => {
    wasmReady = undefined;
    throw error;
  });
  return wasmReady;
}

/** Rasterises an SVG document into PNG bytes of the SVG's own width and height. */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  await prepareCharts();
  // The objects live in WebAssembly memory: free them, or a long-running bot leaks.
  const resvg = new Resvg(svg, { fitTo: { mode: "original" }, background: "#ffffff" });
  try {
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}

/** Renders a bar chart to PNG bytes. */
export function barChartPng(chart: BarChart): Promise<Uint8Array> {
  return svgToPng(barChartSvg(chart));
}

// Seven segments: a top, b upper right, c lower right, d bottom, e lower left, f upper left, g middle.
const SEGMENTS: Record<string, string> = {
  "0": "abcdef",
  "1": "bc",
  "2": "abged",
  "3": "abgcd",
  "4": "fgbc",
  "5": "afgcd",
  "6": "afgedc",
  "7": "abc",
  "8": "abcdefg",
  "9": "abcdfg",
};

/** Width of one glyph relative to its height, and the gap after it. */
const GLYPH_RATIO = 0.5;
const GLYPH_GAP = 0.3;

/** The width of `text` drawn by `digitsPath` at glyph height `size`. */
export function digitsWidth(text: string, size: number): number {
  if (text.length === 0) return 0;
  return text.length * size * GLYPH_RATIO + (text.length - 1) * size * GLYPH_GAP;
}

/** SVG path data for the digits of `text` (other characters leave a gap), top left at x, y. */
export function digitsPath(text: string, x: number, y: number, size: number): string {
  const w = size * GLYPH_RATIO;
  const h = size;
  const parts: string[] = [];
  let left = x;
  for (const ch of text) {
    const segments = SEGMENTS[ch] ?? "";
    // A lone vertical stroke reads better centred than on the right like a real display.
    const r = ch === "1" ? left + w / 2 : left + w;
    const m = y + h / 2;
    const b = y + h;
    const lines: Record<string, [number, number, number, number]> = {
      a: [left, y, r, y],
      b: [r, y, r, m],
      c: [r, m, r, b],
      d: [left, b, r, b],
      e: [left, m, left, b],
      f: [left, y, left, m],
      g: [left, m, r, m],
    };
    for (const s of segments) {
      const [x1, y1, x2, y2] = lines[s];
      parts.push(`M${fmt(x1)} ${fmt(y1)}L${fmt(x2)} ${fmt(y2)}`);
    }
    left += w + size * GLYPH_GAP;
  }
  return parts.join("");
}

function fmt(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** A round upper bound of the axis and its grid step (1, 2 or 5 times a power of ten). */
export function niceScale(max: number, lines = 4): { top: number; step: number } {
  if (max <= 0) return { top: lines, step: 1 };
  const rough = max / lines;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((k) => k * power).find((s) => s >= rough)!;
  const whole = Math.max(1, Math.ceil(step));
  return { top: Math.ceil(max / whole) * whole, step: whole };
}

/** Where the plot sits inside the picture, and how a value maps to a height. */
interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
  /** The value at the top of the axis. */
  max: number;
}

function yOf(f: Frame, v: number): number {
  return f.top + f.height - (v / f.max) * f.height;
}

/** Strokes the digit paths `d` in `color` (nothing when empty). */
export function ink(d: string, color: string): string {
  return d
    ? `<path d="${d}" stroke="${color}" stroke-width="1.6" stroke-linecap="round" fill="none"/>`
    : "";
}

/** The horizontal grid lines with their values on the left. */
function gridSvg(f: Frame, step: number): string {
  const lines: string[] = [];
  const digits: string[] = [];
  const size = 12;
  for (let v = 0; v <= f.max; v += step) {
    const y = yOf(f, v);
    lines.push(`M${f.left} ${fmt(y)}H${f.left + f.width}`);
    const text = String(v);
    digits.push(digitsPath(text, f.left - 10 - digitsWidth(text, size), y - size / 2, size));
  }
  return `<path d="${lines.join("")}" stroke="#dde3ea" stroke-width="1" fill="none"/>` +
    ink(digits.join(""), "#8a96a3");
}

/** A rectangle from value `from` up to value `to` in bar slot `i`. */
function barRect(f: Frame, x: number, w: number, from: number, to: number): string {
  const y = yOf(f, to);
  return `<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(w)}" height="${
    fmt(yOf(f, from) - y)
  }" rx="2"/>`;
}

/** The bars (the muted part on top in a paler colour), their values and their labels. */
function barsSvg(f: Frame, chart: BarChart): string {
  const { values, labels } = chart;
  const slot = f.width / Math.max(1, values.length);
  const barW = Math.max(2, slot * 0.7);
  const main: string[] = [];
  const muted: string[] = [];
  const valueDigits: string[] = [];
  const labelDigits: string[] = [];
  const valueSize = Math.min(12, Math.max(7, slot * 0.4));
  const labelSize = 12;
  // Labels are thinned out when they would not fit under every bar.
  const maxLabel = Math.max(1, ...labels.map((l) => digitsWidth(l, labelSize)));
  const every = Math.max(1, Math.ceil((maxLabel + 4) / slot));
  values.forEach((v, i) => {
    const x = f.left + i * slot + (slot - barW) / 2;
    const center = f.left + i * slot + slot / 2;
    const pale = Math.min(v, chart.muted?.[i] ?? 0);
    if (v - pale > 0) main.push(barRect(f, x, barW, 0, v - pale));
    if (pale > 0) muted.push(barRect(f, x, barW, v - pale, v));
    const text = String(v);
    const w = digitsWidth(text, valueSize);
    if (v > 0 && w <= slot) {
      valueDigits.push(digitsPath(text, center - w / 2, yOf(f, v) - valueSize - 5, valueSize));
    }
    const label = labels[i] ?? "";
    if (i % every === 0 && label) {
      const lw = digitsWidth(label, labelSize);
      labelDigits.push(digitsPath(label, center - lw / 2, f.top + f.height + 12, labelSize));
    }
  });
  return `<g fill="#4a7bd0">${main.join("")}</g><g fill="#f0b4b4">${muted.join("")}</g>` +
    ink(labelDigits.join(""), "#44505c") + ink(valueDigits.join(""), "#1f3f77");
}

/** The SVG document of a bar chart with a value grid, value labels and bar labels. */
export function barChartSvg(chart: BarChart): string {
  const { width, height } = chart;
  const margin = { left: 56, right: 20, top: 28, bottom: 44 };
  // Headroom above the highest bar leaves room for its value label.
  const { top, step } = niceScale(Math.max(0, ...chart.values) * 1.15);
  const f: Frame = {
    left: margin.left,
    top: margin.top,
    width: width - margin.left - margin.right,
    height: height - margin.top - margin.bottom,
    max: top,
  };
  const base = f.top + f.height;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    gridSvg(f, step),
    barsSvg(f, chart),
    `<path d="M${f.left} ${base}H${f.left + f.width}" stroke="#8a96a3" stroke-width="1.5"/>`,
    "</svg>",
  ].join("");
}

/** The width and height written in a PNG's IHDR chunk, or undefined when it is not a PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 24 || signature.some((b, i) => png[i] !== b)) return undefined;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
