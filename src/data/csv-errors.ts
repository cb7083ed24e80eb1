import type { CsvError } from "csv-parse/sync";
import { escapeText } from "../diagnostics/escape.ts";

/**
 * csv-parse's errors in our words. Its own messages quote whole field values ("value is …"), which can be a long
 * stretch of whatever file was named; a diagnostic quotes at most a character of it.
 */
export function csvErrorMessage(error: CsvError): string {
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return "a quoted field is never closed: the file ends inside quotes";
    case "INVALID_OPENING_QUOTE":
      return "a quote appears inside an unquoted field (quote the whole field, and double the quotes inside it)";
    case "CSV_INVALID_CLOSING_QUOTE": {
      const got = /got "(.)"/u.exec(error.message)?.[1];
      return `a closing quote is followed by ${got === undefined ? "other text" : `\`${escapeText(got)}\``} instead of a delimiter or the end of the line`;
    }
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return "a closing quote is followed by other text instead of a delimiter or the end of the line";
    default:
      return `the file cannot be read as CSV (${escapeText(error.code)})`;
  }
}
