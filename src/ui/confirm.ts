/**
 * Confirmation screens. One encoding for "are you sure?": the action's own codec carries an
 * `ok` flag (0 = ask, 1 = do), so a screen needs one codec, not an ask/do pair.
 */
import { button, type Buttons } from "./buttons.ts";

/** The rows of a confirmation: the action (`yes`) above the way back (`no`). */
export function confirmRows(
  yes: { text: string; data: string },
  no: { text: string; data: string },
): Buttons {
  return [[button(yes.text, yes.data)], [button(no.text, no.data)]];
}
