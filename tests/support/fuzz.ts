/**
 * Random updates for fuzzing the bot: random and forged callback data, huge, empty and
 * odd-Unicode texts, unexpected update kinds and wrong chat types. Seeded, reproducible.
 */
import { cb } from "../../src/ui/callback_data.ts";
import { loadCatalogs } from "../../src/ui/i18n.ts";
import type { Logger } from "../../src/ops/log.ts";

/** A small seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** SQL-injection attempts: stored anywhere as text, they must come back exactly as typed. */
export const SQL_INJECTIONS = [
  "Robert'); DROP TABLE bookings;--",
  "' OR 1=1 --",
  "x' OR 'a'='a",
  "1; DELETE FROM services; SELECT '",
  "\"; UPDATE bookings SET status = 'cancelled'; --",
] as const;

const ODD_TEXTS = [
  "",
  " ",
  "\u0000",
  "\u202eevil\u202c",
  "👩‍👩‍👧‍👦".repeat(50),
  "‮Анна‬",
  "<b>bold</b> & <script>",
  "Z̴̡̛a̷l̸g̶o̵",
  "\u200b\u200b\u200b",
  "/start svc_",
  "/start svc_99999999999999",
  "/start again_1",
  "/start ../../etc/passwd",
  "/admin",
  "/book",
  "/my",
  "/help",
  "/cancel",
  "/lang",
  "/unknown",
  "+79161234567",
  "8 916 123 45 67",
  "Анна Петрова",
  "12:00",
  "2026-12-02",
  "DROP TABLE bookings;--",
  ...SQL_INJECTIONS,
  "%s%s%s%n",
  "\ud800",
];

/** Callback prefixes of the admin sections, read from their sources (each defines its own). */
function adminPrefixes(): string[] {
  const found = new Set<string>();
  const read = (dir: URL) => {
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isDirectory) read(new URL(`${entry.name}/`, dir));
      if (!entry.name.endsWith(".ts")) continue;
      const text = Deno.readTextFileSync(new URL(entry.name, dir));
      for (const m of text.matchAll(/codec\(\s*"([a-z]+)"/g)) found.add(m[1]);
    }
  };
  read(new URL("../../src/bot/features/admin/", import.meta.url));
  return [...found].sort();
}

/** Makes fuzz updates for the fake API's pushUpdate. */
export function fuzzUpdates(count: number, seed = 42): object[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const int = (max: number) => Math.floor(random() * max);
  const prefixes = [...Object.values(cb).map((c) => c.prefix), ...adminPrefixes()];
  const words = [
    "main",
    "book",
    "my",
    "lang",
    "admin",
    "bookings",
    "services",
    "x",
    "",
    "up",
    "past",
    "ru",
    "en",
    "name",
    "phone",
  ];
  const field = () =>
    pick([
      String(int(10)),
      String(int(1_000_000)),
      "-1",
      "1e9",
      "NaN",
      "2026-12-02",
      "2026-02-30",
      "2026-13",
      "2026-12",
      pick(words),
      "🙂",
      "",
    ]);
  const callbackData = () => {
    const r = random();
    if (r < 0.6) {
      const parts = [pick(prefixes)];
      const n = int(4);
      for (let i = 0; i < n; i++) parts.push(field());
      return parts.join(":");
    }
    if (r < 0.8) {
      return Array.from({ length: int(80) }, () => String.fromCharCode(32 + int(95))).join("");
    }
    if (r < 0.9) return "";
    return "x".repeat(5000);
  };
  const text = () => {
    const r = random();
    if (r < 0.5) return pick(ODD_TEXTS);
    if (r < 0.6) return "a".repeat(4096 + int(20_000));
    return Array.from({ length: int(200) }, () => String.fromCodePoint(int(0x2ffff) + 1)).join("");
  };
  const users = Array.from({ length: 12 }, (_, i) => ({
    id: 700_000 + i,
    is_bot: false,
    first_name: pick(["Анна", "<b>", "", "Ω", "a".repeat(64), "Zoë"]),
    language_code: pick(["ru", "en", "de", "xx", undefined]),
    username: pick([undefined, "user_" + i]),
  }));
  const updates: object[] = [];
  for (let i = 0; i < count; i++) {
    const from = pick(users);
    const kind = random();
    const privateChat = { id: from.id, type: "private", first_name: from.first_name };
    const group = {
      id: -100_000 - int(5),
      type: pick(["group", "supergroup", "channel"]),
      title: "G",
    };
    const chat = random() < 0.85 ? privateChat : group;
    const date = 1_764_000_000 + i;
    const message = (extra: object) => ({ message_id: 1_000_000 + i, date, chat, from, ...extra });
    if (kind < 0.35) {
      const t = text();
      const entities = t.startsWith("/")
        ? [{ type: "bot_command", offset: 0, length: t.split(" ")[0].length }]
        : undefined;
      updates.push({ message: message({ text: t, entities }) });
    } else if (kind < 0.75) {
      updates.push({
        callback_query: {
          id: `fz${i}`,
          from,
          chat_instance: "ci",
          data: callbackData(),
          message: random() < 0.9
            ? message({ text: "old", from: { id: 1000, is_bot: true, first_name: "Bot" } })
            : undefined,
          inline_message_id: random() < 0.1 ? "inline" : undefined,
        },
      });
    } else if (kind < 0.8) {
      updates.push({
        message: message({
          contact: {
            phone_number: pick(["+79161234567", "", "abc", "7916"]),
            first_name: "C",
            user_id: pick([from.id, 1, undefined]),
          },
        }),
      });
    } else if (kind < 0.85) {
      updates.push({ edited_message: message({ text: text(), edit_date: date }) });
    } else if (kind < 0.9) {
      updates.push({
        message: message(
          pick([
            {
              sticker: {
                file_id: "s",
                file_unique_id: "u",
                type: "regular",
                width: 1,
                height: 1,
                is_animated: false,
                is_video: false,
              },
            },
            { photo: [{ file_id: "p", file_unique_id: "q", width: 1, height: 1 }] },
            { location: { latitude: 1, longitude: 2 } },
            { new_chat_members: [from] },
          ]),
        ),
      });
    } else if (kind < 0.95) {
      updates.push({
        my_chat_member: {
          chat: privateChat,
          from,
          date,
          old_chat_member: { status: "member", user: from },
          new_chat_member: { status: "kicked", user: from, until_date: 0 },
        },
      });
    } else {
      updates.push(pick([
        { inline_query: { id: `iq${i}`, from, query: text(), offset: "" } },
        {
          channel_post: {
            message_id: i,
            date,
            chat: { id: -5, type: "channel", title: "C" },
            text: "post",
          },
        },
        {
          poll: {
            id: "p",
            question: "?",
            options: [],
            total_voter_count: 0,
            is_closed: false,
            is_anonymous: true,
            type: "regular",
            allows_multiple_answers: false,
          },
        },
        {},
      ]));
    }
  }
  return updates;
}

/** Regexes of every catalog line (placeholders as wildcards), to check replies come from it. */
export function catalogLinePatterns(): RegExp[] {
  const catalogs = loadCatalogs();
  const patterns: RegExp[] = [];
  for (const lang of ["ru", "en"] as const) {
    for (const template of catalogs[lang].values()) {
      for (const line of template.split("\n")) {
        const source = line.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(
          /\\\{\w+\\\}/g,
          "[\\s\\S]*?",
        );
        patterns.push(new RegExp(`^${source}$`));
      }
    }
  }
  return patterns;
}

/** A logger that keeps ERROR and CRITICAL records for assertions. */
export function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  const logger: Logger & { errors: string[] } = {
    errors,
    debug() {},
    info() {},
    warning() {},
    error: (message, fields) => void errors.push(`${message} ${JSON.stringify(fields ?? {})}`),
    critical: (message, fields) =>
      void errors.push(`CRITICAL ${message} ${JSON.stringify(fields ?? {})}`),
    log(level, message, fields) {
      if (level === "ERROR" || level === "CRITICAL") {
        errors.push(`${message} ${JSON.stringify(fields ?? {})}`);
      }
    },
    enabled: () => true,
    child: () => logger,
    close() {},
  };
  return logger;
}
