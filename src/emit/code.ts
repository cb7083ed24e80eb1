import type { CodeBlockWriter } from "ts-morph";

/** Op emitters write statements through ts-morph's writer, with these helpers for the shapes that recur. */
export type Writer = CodeBlockWriter;

/** `for (let i = 0; i < bound; i++) { … }` */
export function forRange(w: Writer, index: string, bound: string | number, body: () => void): void {
  w.write(`for (let ${index} = 0; ${index} < ${bound}; ${index}++) `).block(body);
}

/** `for (let i = from - 1; i >= 0; i--) { … }` */
export function forRangeDown(w: Writer, index: string, count: string | number, body: () => void): void {
  w.write(`for (let ${index} = ${count} - 1; ${index} >= 0; ${index}--) `).block(body);
}

/** `// text` */
export function comment(w: Writer, text: string): void {
  w.writeLine(`// ${text}`);
}

/** `const name = value;` */
export function constant(w: Writer, name: string, value: string | number): void {
  w.writeLine(`const ${name} = ${value};`);
}

/** A number as a source literal that reads back as the same double. */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`cannot emit non-finite number ${value}`);
  return Object.is(value, -0) ? "0" : String(value);
}
