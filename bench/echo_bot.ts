/**
 * The ceiling for the load benchmark: a bare grammY bot in webhook mode that echoes texts
 * and answers button presses, on the same fake Bot API.
 * Env: BOT_TOKEN, TELEGRAM_API_ROOT, WEBHOOK_PORT.
 */
import { Bot, webhookCallback } from "grammy";

const bot = new Bot(Deno.env.get("BOT_TOKEN")!, {
  client: { apiRoot: Deno.env.get("TELEGRAM_API_ROOT")! },
});
bot.on("message:text", (ctx) => ctx.reply(ctx.message.text));
bot.on("callback_query", (ctx) => ctx.answerCallbackQuery().catch(() => {}));
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
