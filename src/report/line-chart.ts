import { coordinate, escapeHtml, shortNumber } from "./html.ts";
import { linear, niceAxis } from "./scale.ts";

export interface Series {
  /** Stable name for readers of the markup (`data-series`), e.g. `loss`, `val_loss`. */
  readonly id: string;
  readonly label: string;
  readonly color: string;
  readonly points: readonly (readonly [x: number, y: number])[];
  readonly dashed?: boolean;
}

export interface LineChart {
  /** `data-chart` of the <svg>, e.g. `loss`. */
  readonly id: string;
  readonly title: string;
  readonly xLabel: string;
  readonly series: readonly Series[];
  /** The plot area's fill: a faint tint, so that the area can be found again in a screenshot. */
  readonly tint: string;
  /** What to say when there is nothing to draw. */
  readonly empty: string;
  /** Tick labels of the x axis (default: the number itself); x values are integers when this is given. */
  readonly xTick?: (x: number) => string;
  readonly integerX?: boolean;
  /** A vertical rule at this x, labelled: the epoch whose weights were kept. */
  readonly marker?: { readonly x: number; readonly label: string };
  readonly width?: number;
  readonly height?: number;
}

const margin = { left: 64, right: 16, top: 34, bottom: 42 };
/** Markers on every point while they stay apart; a single point is then still visible. */
const maxMarkers = 40;

/** An SVG line chart: a legend above a tinted plot area with grid lines at round values and one polyline per series. */
export function lineChart(chart: LineChart): string {
  const width = chart.width ?? 560;
  const height = chart.height ?? 260;
  const plot = { left: margin.left, top: margin.top, right: width - margin.right, bottom: height - margin.bottom };
  // Points that are not finite cannot be placed: they are left out (the JSON lines keep them, as null).
  const series = chart.series.map((s) => ({ ...s, points: s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)) })).filter((s) => s.points.length > 0);
  const parts = [
    `<svg class="chart" data-chart="${escapeHtml(chart.id)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(chart.title)}">`,
    `<rect class="plot" x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="${chart.tint}"/>`,
  ];
  if (series.length === 0) {
    parts.push(`<text class="empty" x="${(plot.left + plot.right) / 2}" y="${(plot.top + plot.bottom) / 2}" text-anchor="middle">${escapeHtml(chart.empty)}</text>`, "</svg>");
    return parts.join("\n");
  }
  const xAxis = niceAxis(series.flatMap((s) => s.points.map(([x]) => x)), 6, { integers: chart.integerX === true, tight: true });
  const yAxis = niceAxis(series.flatMap((s) => s.points.map(([, y]) => y)), 5);
  const toX = linear(xAxis, plot.left, plot.right);
  const toY = linear(yAxis, plot.bottom, plot.top);
  const xTick = chart.xTick ?? shortNumber;
  for (const tick of yAxis.ticks) {
    const y = coordinate(toY(tick));
    parts.push(`<line class="grid" x1="${plot.left}" x2="${plot.right}" y1="${y}" y2="${y}"/><text class="tick" x="${plot.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeHtml(shortNumber(tick))}</text>`);
  }
  for (const tick of xAxis.ticks) {
    const x = coordinate(toX(tick));
    parts.push(`<line class="grid" x1="${x}" x2="${x}" y1="${plot.top}" y2="${plot.bottom}"/><text class="tick" x="${x}" y="${plot.bottom + 16}" text-anchor="middle">${escapeHtml(xTick(tick))}</text>`);
  }
  parts.push(`<text class="axis-label" x="${(plot.left + plot.right) / 2}" y="${height - 6}" text-anchor="middle">${escapeHtml(chart.xLabel)}</text>`);
  if (chart.marker !== undefined && chart.marker.x >= xAxis.min && chart.marker.x <= xAxis.max) {
    const x = coordinate(toX(chart.marker.x));
    parts.push(`<line class="marker" x1="${x}" x2="${x}" y1="${plot.top}" y2="${plot.bottom}" stroke-dasharray="3 3"/><text class="marker-label" x="${x}" y="${plot.top + 12}" text-anchor="middle">${escapeHtml(chart.marker.label)}</text>`);
  }
  series.forEach((s, i) => {
    const dash = s.dashed === true ? ' stroke-dasharray="6 4"' : "";
    const placed = s.points.map(([x, y]) => [coordinate(toX(x)), coordinate(toY(y))] as const);
    parts.push(`<polyline class="series" data-series="${escapeHtml(s.id)}" fill="none" stroke="${s.color}" stroke-width="2"${dash} stroke-linejoin="round" points="${placed.map(([x, y]) => `${x},${y}`).join(" ")}"/>`);
    if (placed.length <= maxMarkers) parts.push(placed.map(([x, y]) => `<circle cx="${x}" cy="${y}" r="2.5" fill="${s.color}"/>`).join(""));
    // the legend sits above the plot area, so the plot holds nothing of a series' colour but its line
    const lx = plot.left + i * 150;
    parts.push(`<line x1="${lx}" x2="${lx + 22}" y1="14" y2="14" stroke="${s.color}" stroke-width="2"${dash}/><text class="legend" x="${lx + 28}" y="14" dominant-baseline="middle">${escapeHtml(s.label)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n");
}
