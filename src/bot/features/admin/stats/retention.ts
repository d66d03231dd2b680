/**
 * The retention view of the statistics: returning clients, visits and spend per client over a
 * period, and who has not come back for N weeks (each a button to their card). Pure views.
 */
import { z } from "zod";
import { PERIOD_KINDS } from "../../../../domain/stats.ts";
import { parseIsoDate } from "../../../../domain/time.ts";
import {
  LAPSED_WEEKS,
  type LapsedWeeks,
  type RetentionStats,
} from "../../../../services/retention.ts";
import { button, type Buttons } from "../../../../ui/buttons.ts";
import { codec } from "../../../../ui/callback_data.ts";
import { formatDate, formatNumber, formatPrice } from "../../../../ui/format.ts";
import { scoped } from "../../../../ui/i18n.ts";
import { acCb } from "../clients/codecs.ts";
import { periodLabel, type Speech } from "./summary.ts";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !!parseIsoDate(d));
const weeks = z.coerce.number().int().refine((w): w is LapsedWeeks =>
  (LAPSED_WEEKS as readonly number[]).includes(w)
).transform((w) => w as LapsedWeeks);

/** Retention of a period (kind k, first and last date f..u) with "gone for w weeks". */
export const retentionCb = codec("atr", {
  k: z.enum([...PERIOD_KINDS, "range", "all"]),
  f: isoDate,
  u: isoDate,
  w: weeks,
});

/** The text of the retention view. */
export function retentionText(sp: Speech, s: RetentionStats): string {
  const t = scoped(sp.t, "admin_insight");
  const lines = [t("retention_title", { label: periodLabel(sp, s.period) }), ""];
  if (s.clients === 0) lines.push(t("retention_none"));
  else {
    lines.push(
      t("retention_clients", { n: s.clients }),
      t("retention_returning", { n: s.returning, percent: `${s.returningPercent ?? 0}%` }),
      t("retention_visits", { value: formatNumber(s.visitsPerClient, sp.lang) }),
      t("retention_spend", { amount: formatPrice(s.spendPerClientMinor, sp.lang) }),
    );
  }
  lines.push("", t("retention_lapsed_title", { weeks: s.weeks, n: s.lapsedTotal }));
  for (const c of s.lapsed) {
    const when = formatDate(c.lastVisit, sp.lang, sp.timeZone);
    lines.push(t("retention_lapsed_line", { name: c.name, when, visits: c.visits }));
  }
  const more = s.lapsedTotal - s.lapsed.length;
  if (more > 0) lines.push(t("retention_lapsed_more", { n: more }));
  lines.push("", t("retention_note"));
  return lines.join("\n");
}

/** The weeks choice, the lapsed clients' cards (two to a row), the way back. */
export function retentionRows(
  sp: Speech,
  s: RetentionStats,
  pack: (w: LapsedWeeks) => string,
  back: string,
): Buttons {
  const t = scoped(sp.t, "admin_insight");
  const rows: Buttons = [
    LAPSED_WEEKS.map((w) =>
      button(`${w === s.weeks ? "• " : ""}${t("retention_weeks", { weeks: w })}`, pack(w))
    ),
  ];
  for (let i = 0; i < s.lapsed.length; i += 2) {
    rows.push(
      s.lapsed.slice(i, i + 2).map((c) => button(c.name, acCb.card.pack({ uid: c.userId }))),
    );
  }
  rows.push([button(t("back_to_stats"), back)]);
  return rows;
}
