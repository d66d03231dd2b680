/**
 * The house rules of src/, checked on the import graph: layers only call downward, no import
 * loop, and the bot layer writes only through services (handlers may read repositories).
 */
import assert from "node:assert/strict";

const SRC = new URL("../../src/", import.meta.url);

interface Import {
  /** Path of the imported file, relative to src/. */
  target: string;
  /** Names imported (value and type). */
  names: string[];
  typeOnly: boolean;
}

async function sourceFiles(dir = SRC, prefix = ""): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) {
      files.push(...await sourceFiles(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`));
    } else if (entry.name.endsWith(".ts")) files.push(`${prefix}${entry.name}`);
  }
  return files.sort();
}

function importsOf(file: string, text: string): Import[] {
  const result: Import[] = [];
  const pattern = /import\s+(type\s+)?(?:\{([^}]*)\}|[\w*\s]+)\s*from\s*"(\.[^"]+)"/g;
  for (const m of text.matchAll(pattern)) {
    const target = new URL(m[3], new URL(file, SRC)).pathname.slice(SRC.pathname.length);
    if (!target.endsWith(".ts")) continue;
    const names = (m[2] ?? "").split(",").map((n) => n.trim().replace(/^type\s+/, ""))
      .map((n) => n.split(/\s+as\s+/)[0]).filter(Boolean);
    result.push({ target, names, typeOnly: Boolean(m[1]) });
  }
  return result;
}

const files = await sourceFiles();
const graph = new Map<string, Import[]>();
for (const file of files) {
  graph.set(file, importsOf(file, await Deno.readTextFile(new URL(file, SRC))));
}

Deno.test("architecture: no import loop in src/, type-only imports included", () => {
  const state = new Map<string, "open" | "done">();
  const loops: string[] = [];
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      loops.push([...path.slice(path.indexOf(file)), file].join(" → "));
      return;
    }
    state.set(file, "open");
    for (const i of graph.get(file) ?? []) visit(i.target, [...path, file]);
    state.set(file, "done");
  };
  for (const file of files) visit(file, []);
  assert.deepEqual(loops, []);
});

Deno.test("architecture: layers call downward only", () => {
  const wrong: string[] = [];
  const allowed: Record<string, RegExp> = {
    "domain/": /^domain\//,
    "db/": /^(db|domain)\/|^config\.ts$/,
    "services/": /^(services|db|domain)\/|^config\.ts$/,
    "ui/": /^(ui|domain)\/|^db\/[a-z_]+_repo\.ts$|^config\.ts$/,
    "jobs/": /^(?!bot\/)/,
    "bot/": /^(?!jobs\/)/,
  };
  for (const [file, imports] of graph) {
    const layer = Object.keys(allowed).find((l) => file.startsWith(l));
    if (!layer) continue;
    for (const i of imports) {
      const arrow = `${file} → ${i.target}`;
      if (!allowed[layer].test(i.target)) wrong.push(arrow);
    }
  }
  assert.deepEqual(wrong, []);
});

/** Names of repository functions that change data. */
const WRITE =
  /^(insert|update|set|mark|delete|upsert|audit|record|soft|grant|revoke|clear)[A-Z]|^(writeTransaction|relaxedWrite|audit)$/;

/** bot/ files that still write to the database themselves (being moved behind services). */
const STILL_WRITING = new Set<string>([]);

Deno.test("architecture: bot/ writes only through services, never db/ directly", () => {
  const writers = new Map<string, string[]>();
  for (const [file, imports] of graph) {
    if (!file.startsWith("bot/")) continue;
    const writes = imports.filter((i) => i.target.startsWith("db/") && !i.typeOnly)
      .flatMap((i) => i.names.filter((n) => WRITE.test(n)));
    if (writes.length) writers.set(file, writes);
  }
  const unexpected = [...writers].filter(([file]) => !STILL_WRITING.has(file))
    .map(([file, names]) => `${file}: ${names.join(", ")}`);
  assert.deepEqual(unexpected, []);
  const cleaned = [...STILL_WRITING].filter((file) => !writers.has(file));
  assert.deepEqual(cleaned, [], "these no longer write: remove them from STILL_WRITING");
});

/** The one module features share: the booking flow's entry points (start, move, repeat). */
const SHARED_FEATURE_MODULES = new Set(["bot/features/booking/flow.ts"]);

Deno.test("architecture: features do not import each other (but the booking flow's entry points)", () => {
  const feature = (file: string) => /^bot\/features\/([a-z_]+)/.exec(file)?.[1];
  const wrong: string[] = [];
  for (const [file, imports] of graph) {
    const own = feature(file);
    if (!own) continue;
    for (const i of imports) {
      const other = feature(i.target);
      if (other && other !== own && !SHARED_FEATURE_MODULES.has(i.target)) {
        wrong.push(`${file} → ${i.target}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});

Deno.test("architecture: every button codec has its own prefix", async () => {
  const prefixes = new Map<string, string[]>();
  for (const file of files) {
    const text = await Deno.readTextFile(new URL(file, SRC));
    for (const m of text.matchAll(/\bcodec\(\s*"([a-z_]+)"/g)) {
      prefixes.set(m[1], [...(prefixes.get(m[1]) ?? []), file]);
    }
  }
  assert.ok(prefixes.size > 50);
  const shared = [...prefixes].filter(([, where]) => where.length > 1)
    .map(([prefix, where]) => `${prefix}: ${where.join(", ")}`);
  assert.deepEqual(shared, []);
});

Deno.test("architecture: handlers register on LeanComposer, never on grammY's Composer (costly per update)", async () => {
  const wrong: string[] = [];
  for (const file of files) {
    const text = await Deno.readTextFile(new URL(file, SRC));
    if (/new Composer\b/.test(text)) wrong.push(file);
  }
  assert.deepEqual(wrong, []);
});

Deno.test("architecture: the admin features load lazily (only types of them are imported from outside)", () => {
  const admin = (file: string) => file.startsWith("bot/features/admin/");
  const wrong: string[] = [];
  for (const [file, imports] of graph) {
    if (admin(file)) continue;
    for (const i of imports) {
      if (admin(i.target) && !i.typeOnly) wrong.push(`${file} → ${i.target}`);
    }
  }
  assert.deepEqual(wrong, []);
  // bot.ts loads them with a literal specifier, so `deno compile` includes them.
  const bot = Deno.readTextFileSync(new URL("bot/bot.ts", SRC));
  assert.match(bot, /import\("\.\/features\/admin\/mod\.ts"\)/);
});
