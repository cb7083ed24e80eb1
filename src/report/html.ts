/**
 * Building blocks of the report page: escaping and number formatting. Every piece of user text (spec path, model
 * name, class labels, layer ids) goes through `escapeHtml` before it is placed in the page, in text or attribute.
 */

const entities: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => entities[char] ?? char);
}

/** A number as a person reads it in a table or on an axis: four significant digits, no exponent for usual sizes. */
export function shortNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-4) return value.toExponential(2).replace("-", "−");
  return String(Number(value.toPrecision(4))).replace("-", "−");
}

/** Coordinates in the SVG, rounded so that the page is small and the same run always gives the same bytes. */
export const coordinate = (value: number): string => String(Math.round(value * 10) / 10);
