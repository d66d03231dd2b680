/**
 * CSV for spreadsheets: semicolon-separated (what Excel expects in Russian locales), CRLF
 * line ends, fields quoted when they contain the separator, a quote or a line break.
 * A file starts with a UTF-8 byte order mark so Excel reads Cyrillic correctly.
 */

/** The UTF-8 byte order mark that starts a CSV file. */
export const CSV_BOM = "\uFEFF";

/** The field separator Excel uses with Russian regional settings. */
export const CSV_SEPARATOR = ";";

/** A value in a CSV cell; null and undefined become an empty cell. */
export type CsvValue = string | number | null | undefined;

/** One field, quoted (with doubled quotes) when it holds the separator, a quote or a line break. */
export function csvField(value: CsvValue, separator = CSV_SEPARATOR): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  if (text.includes(separator) || /["\r\n]/.test(text)) return `"${text.replaceAll('"', '""')}"`;
  return text;
}

/** One record: the fields joined by the separator, ending with CRLF. */
export function csvLine(values: readonly CsvValue[], separator = CSV_SEPARATOR): string {
  return values.map((v) => csvField(v, separator)).join(separator) + "\r\n";
}

/**
 * Text a spreadsheet would run as a formula (=, +, -, @ at the start) gets a leading
 * apostrophe, so a crafted name cannot execute in the owner's Excel. Use on free text,
 * not on values such as "+7..." phone numbers that are meant to start with "+".
 */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Parses CSV written by csvLine (quotes, doubled quotes, separators and line breaks in fields). */
export function parseCsv(text: string, separator = CSV_SEPARATOR): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  const input = text.startsWith(CSV_BOM) ? text.slice(1) : text;
  while (i < input.length) {
    const c = input[i];
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === "") {
      quoted = true;
    } else if (c === separator) {
      row.push(field);
      field = "";
    } else if (c === "\r" && input[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else {
      field += c;
    }
    i++;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
