/** Sending files: documents (e.g. CSV exports, gzip backups) and photos, uploads kept with their bytes. */
import { checkText } from "../html.ts";
import type { Payload } from "../types.ts";
import type { Builtin, MethodDeps } from "./table.ts";

/** sendDocument and sendPhoto. */
export function fileMethods(d: MethodDeps): Record<string, Builtin> {
  const caption = (p: Payload): string | undefined => {
    if (p.caption === undefined) return undefined;
    const c = String(p.caption);
    checkText(c, p.parse_mode, 1024, "caption", d.validateHtml);
    return c;
  };
  return {
    sendDocument: (p) => {
      const c = caption(p);
      const document = d.files.store(p, "document");
      return d.chats.toTelegramMessage(
        d.chats.newBotMessage(p, "document", { document, caption: c }),
      );
    },
    sendPhoto: (p) => {
      const c = caption(p);
      const photo = d.files.store(p, "photo");
      return d.chats.toTelegramMessage(d.chats.newBotMessage(p, "photo", { photo, caption: c }));
    },
  };
}
