/** Validation of what clients type: names and phone numbers. */

/** Why a client's input was refused (each is a key in the locale catalogs). */
export type InputProblem = "name_length" | "name_chars" | "phone_format";

/** A checked value or the reason it was refused. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: InputProblem };

const NAME_CHARS = /^[\p{L}\p{M}]+(?:[ '’\-][\p{L}\p{M}]+)*$/u;

/**
 * A client's name: 2-100 characters, letters of any alphabet, single spaces, hyphens and
 * apostrophes between letters. Surrounding and repeated spaces are folded.
 */
export function validateName(input: string): Checked<string> {
  const name = input.normalize("NFC").trim().replace(/\s+/g, " ");
  const length = [...name].length;
  if (length < 2 || length > 100) return { ok: false, problem: "name_length" };
  if (!NAME_CHARS.test(name)) return { ok: false, problem: "name_chars" };
  return { ok: true, value: name };
}

/**
 * A phone number normalised to E.164. Russian +7XXXXXXXXXX, 8XXXXXXXXXX and 7XXXXXXXXXX
 * become +7XXXXXXXXXX; other international numbers are accepted with a leading "+" and
 * 8-15 digits. Spaces, dashes, dots and brackets are ignored.
 */
export function validatePhone(input: string): Checked<string> {
  const compact = input.trim().replace(/[\s\-().]/g, "");
  let digits: string;
  if (/^\+\d+$/.test(compact)) digits = compact.slice(1);
  else if (/^[78]\d{10}$/.test(compact)) digits = "7" + compact.slice(1);
  else return { ok: false, problem: "phone_format" };
  if (digits.startsWith("7") && digits.length !== 11) return { ok: false, problem: "phone_format" };
  if (!/^[1-9]\d{7,14}$/.test(digits)) return { ok: false, problem: "phone_format" };
  return { ok: true, value: `+${digits}` };
}

/** "Anna Karenina" -> "Anna K.": the anonymised name shown to admins with feedback. */
export function anonymiseName(name: string): string {
  const parts = name.trim().split(/\s+/).filter((p) => p);
  if (parts.length === 0) return "—";
  const first = parts[0];
  const last = parts.length > 1 ? ` ${[...parts[parts.length - 1]][0].toUpperCase()}.` : "";
  return first + last;
}
