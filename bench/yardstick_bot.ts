/**
 * The same-work yardstick for the load benchmark: a plain grammY bot with its defaults (no custom
 * fetch, no plugins), webhook mode, state in a Map. A text gets a reply with a 24-button inline
 * keyboard; a press gets answerCallbackQuery plus editMessageText with the same keyboard.
 * Env: BOT_TOKEN, TELEGRAM_API_ROOT, WEBHOOK_PORT; YARDSTICK_KV=1 keeps the state in Deno KV
 * instead (DATA_DIR/yardstick.kv, one read and one durable write per update: the floor cost of
 * dialog state that survives a restart, which the booking bot pays too).
 */
import { Bot, InlineKeyboard, webhookCallback } from "grammy";

const bot = new Bot(Deno.env.get("BOT_TOKEN")!, {
  client: { apiRoot: Deno.env.get("TELEGRAM_API_ROOT")! },
});
type State = { step: number; last: string };
const kv = Deno.env.get("YARDSTICK_KV")
  ? await Deno.openKv(`${Deno.env.get("DATA_DIR")}/yardstick.kv`)
  : undefined;
const map = new Map<number, State>();
const state = kv
  ? {
    get: async (id: number) => (await kv.get<State>(["s", id])).value ?? undefined,
    set: async (id: number, s: State) => void await kv.set(["s", id], s),
  }
  : { get: (id: number) => map.get(id), set: (id: number, s: State) => void map.set(id, s) };
function keyboard(step: number): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (let row = 0; row < 6; row++) {
    for (let col = 0; col < 4; col++) kb.text(`${step}:${row * 4 + col}`, `k:${row}:${col}`);
    kb.row();
  }
  return kb;
}
bot.on("message:text", async (ctx) => {
  const s = await state.get(ctx.chat.id) ?? { step: 0, last: "" };
  s.step++;
  s.last = ctx.message.text;
  await state.set(ctx.chat.id, s);
  await ctx.reply(`Step ${s.step}: ${s.last}`, { reply_markup: keyboard(s.step) });
});
bot.on("callback_query:data", async (ctx) => {
  const id = ctx.chat?.id ?? ctx.from.id;
  const s = await state.get(id) ?? { step: 0, last: "" };
  s.step++;
  s.last = ctx.callbackQuery.data;
  await state.set(id, s);
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(`Step ${s.step}: ${s.last}`, { reply_markup: keyboard(s.step) });
});
bot.catch(() => {});
await bot.init();
const handle = webhookCallback(bot, "std/http");
const server = Deno.serve(
  { hostname: "127.0.0.1", port: Number(Deno.env.get("WEBHOOK_PORT")), onListen: () => {} },
  (request) => handle(request),
);
Deno.addSignalListener("SIGTERM", () => {
  server.shutdown().then(() => Deno.exit(0));
});
