/**
 * The peak-hours heat map as PNG: one row per weekday (1 = Monday … 7 = Sunday, drawn as
 * digits like every label of our charts, which carry no font), one column per hour, each
 * cell as dark as its share of the busiest cell, with its count written in it.
 */
import { digitsPath, digitsWidth, ink, svgToPng } from "./chart.ts";

/** The data of a heat map: grid[weekday 0–6][hour 0–23], and the hours shown [from, to). */
export interface HeatMap {
  grid: number[][];
  hours: [number, number];
  width: number;
  height: number;
}

const EMPTY = "#f1f4f8";
const LOW = [219, 231, 251];
const HIGH = [31, 79, 168];

/** The fill of a cell holding `share` (0..1] of the busiest cell's count. */
function cellColor(share: number): string {
  if (share <= 0) return EMPTY;
  const mix = LOW.map((low, i) => Math.round(low + (HIGH[i] - low) * share));
  return `rgb(${mix.join(",")})`;
}

/** `text` centred on (cx, cy) at glyph height `size`. */
function centred(text: string, cx: number, cy: number, size: number): string {
  return digitsPath(text, cx - digitsWidth(text, size) / 2, cy - size / 2, size);
}

/** The SVG document of the heat map. */
export function heatMapSvg(map: HeatMap): string {
  const { grid, width, height } = map;
  const [from, to] = map.hours;
  const left = 40;
  const top = 36;
  const cols = Math.max(1, to - from);
  const cellW = (width - left - 16) / cols;
  const cellH = (height - top - 16) / 7;
  const max = Math.max(1, ...grid.flat());
  const cells: string[] = [];
  const dark: string[] = [];
  const light: string[] = [];
  const labels: string[] = [];
  const size = Math.min(14, cellH * 0.4, cellW * 0.35);
  for (let d = 0; d < 7; d++) {
    const y = top + d * cellH;
    labels.push(centred(String(d + 1), left / 2, y + cellH / 2, 14));
    for (let h = from; h < to; h++) {
      const x = left + (h - from) * cellW;
      const n = grid[d]?.[h] ?? 0;
      cells.push(
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(cellW - 2).toFixed(1)}" ` +
          `height="${(cellH - 2).toFixed(1)}" rx="3" fill="${cellColor(n / max)}"/>`,
      );
      if (n > 0) {
        (n / max > 0.5 ? light : dark).push(
          centred(String(n), x + cellW / 2 - 1, y + cellH / 2 - 1, size),
        );
      }
    }
  }
  for (let h = from; h < to; h++) {
    labels.push(centred(String(h), left + (h - from + 0.5) * cellW, top / 2, 12));
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    cells.join(""),
    ink(labels.join(""), "#44505c"),
    ink(dark.join(""), "#1f3f77"),
    ink(light.join(""), "#ffffff"),
    "</svg>",
  ].join("");
}

/** Renders the heat map to PNG bytes. */
export function heatMapPng(map: HeatMap): Promise<Uint8Array> {
  return svgToPng(heatMapSvg(map));
}
