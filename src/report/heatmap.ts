import { coordinate, escapeHtml } from "./html.ts";

export interface ConfusionHeatmap {
  /** `data-chart` of the <svg>, e.g. `confusion-test`. */
  readonly id: string;
  readonly title: string;
  /** counts[true][predicted], as src/data/metrics.ts builds it. */
  readonly counts: readonly (readonly number[])[];
  readonly labels: readonly string[];
}

/** White through blue (ColorBrewer's Blues ends), by a fraction from 0 to 1. */
function shade(fraction: number): string {
  const from = [247, 251, 255];
  const to = [8, 48, 107];
  const channel = (i: number) => Math.round(from[i]! + (to[i]! - from[i]!) * fraction);
  return `rgb(${channel(0)},${channel(1)},${channel(2)})`;
}

/** Labels are cut to fit beside the grid; the full text stays in each cell's tooltip. */
const shortLabel = (label: string, max = 18): string => (Array.from(label).length <= max ? label : `${Array.from(label).slice(0, max - 1).join("")}…`);

/**
 * A confusion matrix as a labelled heatmap: rows are the true class, columns the predicted one, darker is more.
 * Each cell carries its count (`data-count`) and prints it while cells are wide enough to read.
 */
export function confusionHeatmap(map: ConfusionHeatmap): string {
  const classes = map.counts.length;
  const cell = Math.max(14, Math.min(48, Math.floor(480 / Math.max(1, classes))));
  const names = Array.from({ length: classes }, (_, i) => shortLabel(map.labels[i] ?? String(i)));
  const longest = Math.max(1, ...names.map((name) => Array.from(name).length));
  const left = 24 + Math.ceil(longest * 7);
  const top = 28 + Math.ceil(longest * 5);
  const width = left + classes * cell + 12;
  const height = top + classes * cell + 12;
  const most = Math.max(1, ...map.counts.flat());
  const parts = [
    `<svg class="chart heatmap" data-chart="${escapeHtml(map.id)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(map.title)}">`,
    `<text class="axis-label" x="${left}" y="12">predicted →</text>`,
    `<text class="axis-label" x="10" y="${top + (classes * cell) / 2}" transform="rotate(-90 10 ${top + (classes * cell) / 2})" text-anchor="middle">true</text>`,
  ];
  names.forEach((name, i) => {
    const x = coordinate(left + (i + 0.5) * cell);
    const y = coordinate(top + (i + 0.5) * cell);
    const full = escapeHtml(map.labels[i] ?? String(i));
    parts.push(`<text class="tick" x="${x}" y="${top - 6}" transform="rotate(-45 ${x} ${top - 6})"><title>${full}</title>${escapeHtml(name)}</text>`);
    parts.push(`<text class="tick" x="${left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle"><title>${full}</title>${escapeHtml(name)}</text>`);
  });
  map.counts.forEach((row, r) => {
    row.forEach((count, c) => {
      const fraction = count / most;
      const x = left + c * cell;
      const y = top + r * cell;
      const tooltip = `true ${map.labels[r] ?? r}, predicted ${map.labels[c] ?? c}: ${count}`;
      parts.push(`<g><title>${escapeHtml(tooltip)}</title><rect class="cell" data-row="${r}" data-col="${c}" data-count="${count}" x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${shade(fraction)}" stroke="#fff"/>`);
      if (cell >= 24) parts.push(`<text class="${fraction > 0.55 ? "count dark" : "count"}" x="${x + cell / 2}" y="${y + cell / 2}" text-anchor="middle" dominant-baseline="middle">${count}</text>`);
      parts.push("</g>");
    });
  });
  parts.push("</svg>");
  return parts.join("\n");
}
