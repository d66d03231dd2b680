/** The questions of the services section: each step of the creation dialog and the field editor. */
import type { ServiceWithCount } from "../../../../db/services_repo.ts";
import { formatPriceInput } from "../../../../domain/admin_input.ts";
import { button, type Buttons, type Screen } from "../../../../ui/buttons.ts";
import { cb } from "../../../../ui/callback_data.ts";
import { scoped, type Translate } from "../../../../ui/i18n.ts";
import type { NewServiceStep, ServiceDraft, ServiceTextField } from "../input.ts";
import { withNotice } from "../kit.ts";
import { DURATION_CHOICES, servicesCb } from "./codecs.ts";

/** The row with the dialog's Cancel button. */
export function cancelRow(t: Translate) {
  return [button(t("common.cancel_button"), cb.cancelDialog.pack({}))];
}

function stepButtons(step: NewServiceStep, t: Translate): Buttons {
  const ts = scoped(t, "admin_services");
  const one = (key: Parameters<typeof ts>[0], k: "desc_skip" | "price_skip" | "order_skip") => [
    button(ts(key), servicesCb.step.pack({ k, v: 0 })),
  ];
  switch (step) {
    case "name":
      return [];
    case "desc":
      return [one("skip", "desc_skip")];
    case "dur":
      return [
        DURATION_CHOICES.map((m) =>
          button(ts("minutes", { minutes: m }), servicesCb.step.pack({ k: "dur", v: m }))
        ),
        [button(ts("other_duration"), servicesCb.step.pack({ k: "dur_other", v: 0 }))],
      ];
    case "price":
      return [one("skip_price", "price_skip")];
    case "order":
      return [one("skip_order", "order_skip")];
    case "active":
      return [[
        button(ts("active_yes"), servicesCb.step.pack({ k: "active", v: 1 })),
        button(ts("active_no"), servicesCb.step.pack({ k: "active", v: 0 })),
      ]];
  }
}

const QUESTION = {
  name: "ask_name",
  desc: "ask_description",
  dur: "ask_duration",
  price: "ask_price",
  order: "ask_order",
  active: "ask_active",
} as const;

/** The question of one creation step (after the problem with the last answer, if any). */
export function newStepView(
  step: NewServiceStep,
  draft: ServiceDraft,
  problem: string,
  t: Translate,
): Screen {
  const ts = scoped(t, "admin_services");
  const header = step !== "name" && draft.name ? `${ts("new_header", { name: draft.name })}\n` : "";
  return {
    text: withNotice(problem, header + ts(QUESTION[step])),
    buttons: [...stepButtons(step, t), cancelRow(t)],
  };
}

function currentValue(s: ServiceWithCount, field: ServiceTextField, t: Translate): string {
  const ts = scoped(t, "admin_services");
  switch (field) {
    case "name":
      return s.name;
    case "desc":
      return s.description || ts("no_description");
    case "dur":
      return ts("minutes", { minutes: s.durationMinutes });
    case "price":
      return s.priceMinor === null ? ts("no_price") : formatPriceInput(s.priceMinor);
    case "order":
      return String(s.displayOrder);
  }
}

function shortcutRows(s: ServiceWithCount, field: ServiceTextField, t: Translate): Buttons {
  const ts = scoped(t, "admin_services");
  if (field === "dur") {
    return [
      DURATION_CHOICES.map((m) =>
        button(ts("minutes", { minutes: m }), servicesCb.set.pack({ id: s.id, f: "dur", v: m }))
      ),
    ];
  }
  if (field === "price" && s.priceMinor !== null) {
    return [[button(ts("remove_price"), servicesCb.set.pack({ id: s.id, f: "noprice", v: 0 }))]];
  }
  if (field === "desc" && s.description) {
    return [[
      button(ts("remove_description"), servicesCb.set.pack({ id: s.id, f: "nodesc", v: 0 })),
    ]];
  }
  return [];
}

/** Asks for a new value of one field, showing the current one and the shortcut buttons. */
export function editFieldView(
  s: ServiceWithCount,
  field: ServiceTextField,
  problem: string,
  t: Translate,
): Screen {
  const ts = scoped(t, "admin_services");
  const text = [
    problem ? `${problem}\n` : "",
    ts("edit_header", { name: s.name }),
    ts("edit_current", { value: currentValue(s, field, t) }),
    ts(`ask_edit_${field}`),
  ].filter((l) => l !== "").join("\n");
  const back = [
    button(t("common.back_button"), servicesCb.view.pack({ id: s.id })),
    button(t("common.cancel_button"), cb.cancelDialog.pack({})),
  ];
  return { text, buttons: [...shortcutRows(s, field, t), back] };
}
