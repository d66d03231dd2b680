/**
 * `deno task compile`: builds the single executable as dist/booking-bot-<version> (the version
 * from deno.json). Extra arguments (e.g. `--target x86_64-unknown-linux-gnu`) go to `deno compile`.
 */
import { VERSION } from "../src/version.ts";

const root = new URL("../", import.meta.url);
const output = `dist/booking-bot-${VERSION}`;
const { code } = await new Deno.Command(Deno.execPath(), {
  args: [
    "compile",
    "--allow-all",
    "--include",
    "migrations",
    "--include",
    "locales",
    "--output",
    output,
    ...Deno.args,
    "src/main.ts",
  ],
  cwd: root,
  stdout: "inherit",
  stderr: "inherit",
}).output();
if (code === 0) console.log(`Built ${output}`);
Deno.exit(code);
