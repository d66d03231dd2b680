/** Wiring: builds the parts of one fake (queue, chats, faults, holds, methods, server) and connects them. */
import type { UserFromGetMe } from "grammy/types";
import type { FakeBotApi, MethodHandler } from "./api.ts";
import { Blocking } from "./blocking.ts";
import { CallLog } from "./calls.ts";
import { Chats } from "./chats.ts";
import { Faults } from "./faults.ts";
import { FileStore } from "./files.ts";
import { Holds } from "./holds.ts";
import { Activity } from "./idle.ts";
import { CallbackQueries } from "./methods/callbacks.ts";
import { Payments } from "./methods/payments.ts";
import { builtinMethods } from "./methods/table.ts";
import { Server } from "./server.ts";
import type { FakeBotApiOptions, FakeStats, SetWebhookRecord, WebhookInfo } from "./types.ts";
import { UpdateQueue } from "./updates.ts";
import type { FakeUser } from "./users.ts";
import { Sleepers } from "./util.ts";
import { WebhookPump } from "./webhook.ts";

/** State the FakeBotApi object exposes and its parts share. */
export interface Shared {
  fake: FakeBotApi;
  botInfo: UserFromGetMe;
  stats: FakeStats;
  webhook: WebhookInfo;
  webhookLog: SetWebhookRecord[];
  commands: Map<string, unknown>;
  users: Map<number, FakeUser>;
  overrides: Map<string, MethodHandler>;
  onToken: (token: string) => void;
  lastToken: () => string | undefined;
}

/** The connected parts of one fake. */
export interface Parts {
  sleepers: Sleepers;
  log: CallLog;
  chats: Chats;
  queue: UpdateQueue;
  pump: WebhookPump;
  activity: Activity;
  faults: Faults;
  blocking: Blocking;
  holds: Holds;
  callbacks: CallbackQueries;
  payments: Payments;
  server: Server;
}

/** Builds and connects the parts of a fake. */
export function wire(s: Shared, options: FakeBotApiOptions): Parts {
  const p = {
    sleepers: new Sleepers(),
    log: new CallLog(options.record ?? true),
    chats: new Chats(s.botInfo, s.stats),
    blocking: new Blocking(s.stats),
    holds: new Holds(),
    callbacks: new CallbackQueries(),
    payments: new Payments(),
  } as Parts;
  p.faults = new Faults(s.stats, p.sleepers);
  p.queue = new UpdateQueue({
    stats: s.stats,
    pollCapMs: options.pollCapMs ?? 1000,
    enforceAllowedUpdates: options.enforceAllowedUpdates ?? false,
    onActivity: () => p.activity.note(),
    webhookActive: () => s.webhook.url !== "",
    onWebhookUpdate: () => p.pump.kick(),
  });
  p.activity = new Activity(() => p.queue.pending === 0, () => p.queue.describePending());
  p.pump = new WebhookPump({
    webhook: s.webhook,
    queue: p.queue,
    stats: s.stats,
    sleepers: p.sleepers,
    retryMs: options.webhookRetryMs ?? 50,
    maxAttempts: options.webhookMaxAttempts ?? 5,
    runReply: (method, payload) =>
      p.server.process(s.lastToken() ?? "webhook-reply", method, payload),
  });
  p.server = new Server({
    ...p,
    fake: s.fake,
    stats: s.stats,
    overrides: s.overrides,
    requiredToken: options.token,
    onToken: s.onToken,
    methods: methods(s, p, options),
  });
  return p;
}

function methods(s: Shared, p: Parts, options: FakeBotApiOptions) {
  return builtinMethods({
    botInfo: s.botInfo,
    webhook: s.webhook,
    webhookLog: s.webhookLog,
    commands: s.commands,
    chats: p.chats,
    queue: p.queue,
    files: new FileStore(),
    callbacks: p.callbacks,
    payments: p.payments,
    validateHtml: options.validateHtml ?? true,
    kickWebhook: () => p.pump.kick(),
    userFrom: (id) =>
      (id !== undefined ? s.users.get(id)?.from : undefined) ??
        { id, is_bot: false, first_name: `User${id}` },
  });
}
