/** Methods about the bot itself: identity, commands, menu, webhook and chat lookups. */
import { FakeApiError, type Payload } from "../types.ts";
import { normChatId, toNum } from "../util.ts";
import type { Builtin, MethodDeps } from "./table.ts";

const T = () => true;

/** getMe, webhook, commands and chat lookup methods. */
export function setupMethods(d: MethodDeps): Record<string, Builtin> {
  return {
    getMe: () => d.botInfo,
    getUpdates: () => [], // answered by the server (long polling)
    logOut: T,
    close: T,
    deleteWebhook: (p) => {
      d.webhook.url = "";
      delete d.webhook.secret_token;
      if (p.drop_pending_updates === true) d.queue.confirm(d.queue.lastId + 1);
      return true;
    },
    setWebhook: (p) => setWebhook(d, p),
    getWebhookInfo: () => webhookInfo(d),
    ...commandMethods(d),
    setChatMenuButton: T,
    getChatMenuButton: () => ({ type: "commands" }),
    setMyDescription: T,
    setMyShortDescription: T,
    setMyName: T,
    setMyDefaultAdministratorRights: T,
    getChat: (p) => {
      const k = normChatId(p.chat_id);
      if (k === undefined) throw new FakeApiError(400, "Bad Request: chat_id is empty");
      return d.chats.state(k).chat;
    },
    getChatMember: (p) => ({ status: "member", user: d.userFrom(toNum(p.user_id)) }),
  };
}

function commandMethods(d: MethodDeps): Record<string, Builtin> {
  const key = (p: Payload) => JSON.stringify([p.scope ?? null, p.language_code ?? ""]);
  return {
    setMyCommands: (p) => {
      if (!Array.isArray(p.commands)) {
        throw new FakeApiError(400, 'Bad Request: parameter "commands" is required');
      }
      d.commands.set(key(p), p.commands);
      return true;
    },
    getMyCommands: (p) => d.commands.get(key(p)) ?? [],
    deleteMyCommands: (p) => {
      d.commands.delete(key(p));
      return true;
    },
  };
}

function setWebhook(d: MethodDeps, p: Payload): true {
  const url = typeof p.url === "string" ? p.url : "";
  if (url && !/^https?:\/\//.test(url)) {
    throw new FakeApiError(400, "Bad Request: bad webhook: invalid URL");
  }
  const secret = typeof p.secret_token === "string" ? p.secret_token : undefined;
  const allowed = Array.isArray(p.allowed_updates) ? p.allowed_updates.map(String) : undefined;
  d.webhookLog.push({
    url,
    ...(secret !== undefined && { secret_token: secret }),
    ...(allowed && { allowed_updates: allowed }),
    ...(p.drop_pending_updates === true && { drop_pending_updates: true }),
    at: Date.now(),
  });
  d.webhook.url = url;
  if (secret !== undefined) d.webhook.secret_token = secret;
  else delete d.webhook.secret_token;
  if (p.max_connections !== undefined) d.webhook.max_connections = toNum(p.max_connections);
  if (allowed) d.webhook.allowed_updates = allowed;
  d.queue.noteAllowed("setWebhook", allowed);
  if (p.drop_pending_updates === true) d.queue.confirm(d.queue.lastId + 1);
  d.queue.finishPoll();
  if (url) queueMicrotask(d.kickWebhook);
  return true;
}

function webhookInfo(d: MethodDeps): Record<string, unknown> {
  const w = d.webhook;
  const r: Record<string, unknown> = {
    url: w.url,
    has_custom_certificate: false,
    pending_update_count: d.queue.pending,
  };
  if (w.url) {
    if (w.max_connections) r.max_connections = w.max_connections;
    if (w.allowed_updates) r.allowed_updates = w.allowed_updates;
    if (w.last_error_date) {
      r.last_error_date = w.last_error_date;
      r.last_error_message = w.last_error_message;
    }
  }
  return r;
}
