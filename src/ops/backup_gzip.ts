/** gzip copies of backups: the daily off-site copy for the owners, and `restore FILE.db.gz`. */
import { basename, join } from "node:path";

/** Whether `path` names a gzip-compressed backup. */
export function isGzipPath(path: string): boolean {
  return path.endsWith(".gz");
}

/** The gzip-compressed bytes of the file at `path` (CompressionStream, no dependency). */
export async function gzipFile(path: string): Promise<Uint8Array> {
  const file = await Deno.open(path, { read: true });
  const compressed = file.readable.pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(compressed).arrayBuffer());
}

/**
 * Decompresses `path` (a .gz) into a new hidden file in `dir` and returns its path; the caller
 * removes it. Throws with a readable message when the file is not gzip.
 */
export async function gunzipToTemp(path: string, dir: string): Promise<string> {
  Deno.mkdirSync(dir, { recursive: true });
  const name = basename(path).replace(/\.gz$/, "");
  const target = join(dir, `.${name}.unzipped-${crypto.randomUUID().slice(0, 8)}`);
  const source = await Deno.open(path, { read: true });
  try {
    const out = await Deno.open(target, { write: true, createNew: true });
    await source.readable.pipeThrough(new DecompressionStream("gzip")).pipeTo(out.writable);
    return target;
  } catch (error) {
    await Deno.remove(target).catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`it is not a readable gzip file (${reason})`);
  }
}
