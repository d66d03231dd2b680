/**
 * A local fake of the Telegram Bot API for end-to-end tests and benchmarks.
 *
 * Start it with `await FakeBotApi.start()`, point the bot at `fake.apiRoot`
 * (grammY: `new Bot(token, { client: { apiRoot: fake.apiRoot } })`, or the
 * `TELEGRAM_API_ROOT` environment variable of the real bot), act as users via
 * `fake.user(id, profile)` and inspect what the bot sent.
 *
 * Only Deno built-ins are used so the module has no dependencies besides the
 * `grammy/types` type declarations. The parts live in `fake_bot_api/`:
 * `api.ts` (the FakeBotApi object), `server.ts` (HTTP and the call pipeline),
 * `updates.ts` and `webhook.ts` (getUpdates and webhook delivery), `chats.ts`
 * (messages and edits), `methods/` (the Bot API methods by area), `users.ts`
 * (FakeUser), `html.ts`, `markup.ts`, `files.ts`, `request.ts`, `faults.ts`,
 * `blocking.ts` and `holds.ts`.
 */
export * from "./fake_bot_api/types.ts";
export { FakeBotApi, type MethodHandler } from "./fake_bot_api/api.ts";
export { FakeUser } from "./fake_bot_api/users.ts";
export { checkHtml, plainText } from "./fake_bot_api/html.ts";
export { buttonsOf } from "./fake_bot_api/markup.ts";
