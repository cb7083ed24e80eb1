/** Number and table formatting shared by the benchmark reports. */

/** 3 significant digits with thousands separators: 589, 12.3, 2,630,000. */
export function sig(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value) || 1)));
  return Number(value.toPrecision(3)).toLocaleString("en-US", { maximumFractionDigits: digits });
}

export function table(header: readonly string[], align: readonly ("l" | "r")[], rows: readonly (readonly string[])[]): string {
  const rule = align.map((a) => (a === "r" ? "---:" : ":---"));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}
