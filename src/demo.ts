/**
 * `deno task demo`: the real bot against an embedded local Bot API emulator and a scripted
 * client, printing the conversation of one complete booking. No token, no network.
 */
import "./ops/quiet_punycode.ts"; // first: before anything loads grammY
import { parseConfig } from "./config.ts";
import { startBot } from "./app.ts";
import { systemClock } from "./domain/clock.ts";
import { nullLogger } from "./ops/log.ts";
import { loadDemoData, SAMPLE_TEXTS } from "./services/demo_data.ts";
import {
  type BotMessage,
  buttonsOf,
  FakeBotApi,
  type FakeUser,
  plainText,
} from "../tests/support/fake_bot_api.ts";

const lang = Deno.args[0] === "en" ? "en" : "ru";
const fake = await FakeBotApi.start();
const dataDir = await Deno.makeTempDir({ prefix: "booking-demo-" });
const config = parseConfig({
  BOT_TOKEN: "123456:DEMO",
  TELEGRAM_API_ROOT: fake.apiRoot,
  DATA_DIR: dataDir,
  HEALTH_PORT: "0",
  BUSINESS_TIMEZONE: Deno.env.get("BUSINESS_TIMEZONE") ?? "Europe/Moscow",
  BUSINESS_LANGUAGE: lang,
});
const running = await startBot(config, {
  clock: systemClock,
  logger: nullLogger,
  noSignals: true,
  noJobs: true,
});
loadDemoData(running.deps.db, systemClock.now(), lang);
const haircut = SAMPLE_TEXTS[lang][0][0];

const client = fake.user(4242, {
  first_name: lang === "ru" ? "Анна" : "Anna",
  last_name: "K",
  language_code: lang,
});
let seen = 0;

function printBot(m: BotMessage): void {
  const text = plainText(m) || (m.document ? `📎 ${m.document.file_name}` : "");
  console.log(`\n🤖 ${m.edit_count ? "(edited) " : ""}${text.replaceAll("\n", "\n   ")}`);
  const buttons = buttonsOf(m).map((b) => `[${b.text}]`).filter((b) => b !== "[ ]" && b !== "[·]");
  if (buttons.length) {
    console.log(`   ${buttons.slice(0, 24).join(" ")}${buttons.length > 24 ? " …" : ""}`);
  }
}

async function step(label: string, act: (u: FakeUser) => void): Promise<void> {
  console.log(`\n👤 ${label}`);
  act(client);
  await fake.waitForIdle(80, 10_000);
  const messages = fake.chatMessages(client.id, false);
  const fresh = messages.filter((m) => m.message_id > seen || m.edit_count > 0);
  for (const m of fresh.slice(-3)) printBot(m);
  seen = Math.max(seen, ...messages.map((m) => m.message_id));
  for (const m of messages) m.edit_count = 0;
}

try {
  await step("/start", (u) => u.sendText("/start"));
  await step(lang === "ru" ? "📅 Записаться" : "📅 Book", (u) => u.press(/📅/));
  await step(haircut, (u) => u.press(haircut));
  const day = client.buttons().find((b) => b.data?.startsWith("bd:"));
  if (!day) throw new Error("no free day in the calendar");
  await step(day.text, (u) => u.press((b) => b.data === day.data));
  const slot = client.buttons().find((b) => b.data?.startsWith("bt:"));
  if (!slot) throw new Error("no free slot");
  await step(slot.text, (u) => u.press((b) => b.data === slot.data));
  await step(
    lang === "ru" ? "Анна Каренина" : "Anna Karenina",
    (u) => u.sendText(lang === "ru" ? "Анна Каренина" : "Anna Karenina"),
  );
  await step("📱 +79161234567", (u) => u.sendContact("+79161234567"));
  await step("✅", (u) => u.press("✅"));
  console.log(`\nDone: the booking is in ${config.dbPath} (a temporary folder, removed now).`);
} finally {
  await running.stop();
  await fake.stop();
  await Deno.remove(dataDir, { recursive: true });
}
