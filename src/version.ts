/** The program's release version, read from deno.json (embedded by `deno compile` as a JSON module). */
import meta from "../deno.json" with { type: "json" };

/** The semantic version of this release, e.g. "1.1.0". */
export const VERSION: string = meta.version;
