/**
 * User text (keys, file names, CSV cells and labels, source lines) on its way to a terminal. Shown escaped, as
 * `\u001b`: C0 and C1 controls (ESC can repaint the screen, a newline can forge a whole diagnostic line), DEL, the
 * line and paragraph separators, the byte-order mark, and the bidirectional controls that make text display
 * differently from what it is ("Trojan Source").
 */
const unsafe = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;

const escapeChar = (char: string): string => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** Every unsafe character escaped, and tabs too: in a one-line message a tab only hides what is there. */
export function escapeText(text: string): string {
  return text.replace(unsafe, escapeChar).replace(/\t/g, "\\t");
}

/** As `escapeText`, but tabs kept: a code frame shows the line as the editor does, and its caret line copies the tabs. */
export function escapeSourceText(text: string): string {
  return text.replace(unsafe, escapeChar);
}

/** Text printed by a tool (several lines of help or usage): newlines kept, everything else unsafe escaped. */
export function escapeOutput(text: string): string {
  return text.replace(unsafe, (char) => (char === "\n" ? char : escapeChar(char)));
}

/**
 * JSON for a terminal or a log: `JSON.stringify` escapes C0 controls but leaves C1 controls (U+009B is a CSI to
 * some terminals), separators and bidi controls raw; those become `\uXXXX` escapes too, which parse back the same.
 */
export function jsonText(value: unknown): string {
  return escapeSourceText(JSON.stringify(value));
}

/**
 * A piece of a user's file quoted in a message: escaped, in double quotes, and at most `max` characters of it, so
 * that a diagnostic about one cell can never print a whole line (or a whole file) of what it was pointed at.
 */
export function quoteShort(text: string, max = 40): string {
  const chars = Array.from(text);
  const shown = chars.length <= max ? text : `${chars.slice(0, max).join("")}…`;
  const more = chars.length <= max ? "" : ` (${chars.length} characters)`;
  return `"${escapeText(shown).replace(/"/g, '\\"')}"${more}`;
}
