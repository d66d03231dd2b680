/** The table of built-in Bot API methods, assembled from one file per area. */
import type { UserFromGetMe } from "grammy/types";
import type { Chats } from "../chats.ts";
import type { FileStore } from "../files.ts";
import type { Payload, SetWebhookRecord, WebhookInfo } from "../types.ts";
import type { UpdateQueue } from "../updates.ts";
import { callbackMethods, type CallbackQueries } from "./callbacks.ts";
import { fileMethods } from "./files.ts";
import { messageMethods } from "./messages.ts";
import { paymentMethods, type Payments } from "./payments.ts";
import { setupMethods } from "./setup.ts";

/** A built-in method: parameters in, result out (throws FakeApiError for error answers). */
export type Builtin = (p: Payload) => unknown;

/** The state built-in methods read and change. */
export interface MethodDeps {
  botInfo: UserFromGetMe;
  webhook: WebhookInfo;
  /** Every setWebhook call, oldest first. */
  webhookLog: SetWebhookRecord[];
  commands: Map<string, unknown>;
  chats: Chats;
  queue: UpdateQueue;
  files: FileStore;
  callbacks: CallbackQueries;
  payments: Payments;
  validateHtml: boolean;
  /** Starts webhook delivery. */
  kickWebhook: () => void;
  /** The `User` object of a user id (a known FakeUser's profile, or a stub). */
  userFrom: (id: number | undefined) => Record<string, unknown>;
}

/** Built-in methods by lower-case name, with their canonical spelling. */
export function builtinMethods(d: MethodDeps): Map<string, [string, Builtin]> {
  const defs: Record<string, Builtin> = {
    ...setupMethods(d),
    ...messageMethods(d),
    ...fileMethods(d),
    ...callbackMethods(d),
    ...paymentMethods(d),
  };
  const map = new Map<string, [string, Builtin]>();
  for (const [name, fn] of Object.entries(defs)) map.set(name.toLowerCase(), [name, fn]);
  return map;
}
