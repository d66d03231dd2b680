/**
 * grammY's npm build loads node-fetch → whatwg-url@5 → Node's deprecated `punycode` module, so
 * every start printed "[DEP0040] DeprecationWarning: The `punycode` module is deprecated",
 * although the bot sends through Deno's own fetch (src/telegram/native_fetch.ts) and never runs that
 * code. This drops exactly that warning (code DEP0040); every other warning is printed as
 * before. Entry points import it before anything that loads grammY.
 */
import process from "node:process";

const PUNYCODE_DEPRECATION = "DEP0040";

/** The warning code, from either signature of process.emitWarning. */
function codeOf(rest: unknown[]): unknown {
  const [typeOrOptions, code] = rest;
  if (typeOrOptions && typeof typeOrOptions === "object") {
    return (typeOrOptions as { code?: unknown }).code;
  }
  return code;
}

const emitWarning = process.emitWarning;
process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
  const code = warning instanceof Error ? (warning as { code?: unknown }).code : codeOf(rest);
  if (code === PUNYCODE_DEPRECATION) return;
  return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
} as typeof process.emitWarning;
