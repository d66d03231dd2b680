/** The message of a waitlist offer, rendered when the outbox delivers it. */
import { getService } from "../db/services_repo.ts";
import { getStaff } from "../db/staff_repo.ts";
import { getWait } from "../db/waitlist_repo.ts";
import { button } from "./buttons.ts";
import { cb } from "./callback_data.ts";
import { formatDate, formatTime } from "./format.ts";
import type { Notice, NoticeEnv } from "./notices.ts";

/** The offer, unless the wait no longer holds this time (taken, let go, or left). */
export function renderWaitlistOffer(
  payload: Record<string, unknown>,
  env: NoticeEnv,
): Notice | undefined {
  const w = getWait(env.db, Number(payload.wait));
  const start = Number(payload.start);
  if (!w || w.status !== "offered" || w.offerStart !== start) return undefined;
  if ((w.offerUntil ?? 0) <= env.now) return undefined;
  const service = getService(env.db, w.serviceId);
  const staff = env.showStaff && w.offerStaff ? getStaff(env.db, w.offerStaff) : undefined;
  const time = formatTime(start, env.timeZone);
  return {
    text: env.t("waitlist.offer", {
      service: service?.name ?? "",
      date: formatDate(start, env.lang, env.timeZone),
      time,
      staff: staff ? env.t("waitlist.offer_staff", { staff: staff.name }) : "",
      until: formatTime(w.offerUntil!, env.timeZone),
    }),
    buttons: [
      [button(env.t("waitlist.btn_claim", { time }), cb.waitClaim.pack({ id: w.id }))],
      [button(env.t("waitlist.btn_leave"), cb.waitLeave.pack({ id: w.id }))],
    ],
  };
}
