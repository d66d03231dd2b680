/** The screens of the salon profile and of the first-run setup, as pure functions. */
import { z } from "zod";
import {
  type BusinessProfile,
  PROFILE_FIELDS,
  type ProfileField,
  type SetupState,
} from "../../../../db/profile_repo.ts";
import { button, type Buttons, type Screen } from "../../../../ui/buttons.ts";
import { cb, codec, int } from "../../../../ui/callback_data.ts";
import type { Translate } from "../../../../ui/i18n.ts";
import { servicesCb } from "../services/codecs.ts";

const field = z.enum(PROFILE_FIELDS as [ProfileField, ...ProfileField[]]);

/** The buttons of the profile ("apf") and the setup ("apw", "ape"). */
export const profileCb = {
  /** Ask for a new value of one field. */
  edit: codec("apf", { f: field }),
  /** Show step `s` (1-4) of the setup. */
  step: codec("apw", { s: int }),
  /** End the setup: `skip` 1 = skipped, 0 = finished. */
  end: codec("ape", { skip: int }),
} as const;

/** The profile: every field with its value, a button per field. */
export function profileView(p: BusinessProfile, t: Translate): Screen {
  const lines = PROFILE_FIELDS.map((f) =>
    t("admin_profile.line", {
      label: t(`admin_profile.field_${f}`),
      value: p[f] || t("admin_profile.not_set"),
    })
  );
  const buttons: Buttons = [];
  for (let i = 0; i < PROFILE_FIELDS.length; i += 2) {
    buttons.push(
      PROFILE_FIELDS.slice(i, i + 2).map((f) =>
        button(
          t("admin_profile.edit_button", { label: t(`admin_profile.field_${f}`) }),
          profileCb.edit.pack({ f }),
        )
      ),
    );
  }
  return { text: [t("admin_profile.title"), lines.join("\n")].join("\n\n"), buttons };
}

/** The number of setup steps. */
export const SETUP_STEPS = 4;

/** The first step of the setup not done yet (4, the test booking, when all are). */
export function firstOpenStep(state: SetupState): number {
  if (!state.profile) return 1;
  if (!state.hours) return 2;
  if (!state.service) return 3;
  return 4;
}

const STEP_TEXT = ["setup_profile", "setup_hours", "setup_service", "setup_test"] as const;
const STEP_DONE: (keyof SetupState)[] = ["profile", "hours", "service"];

/** Step `step` (1-4) of the setup: what to do, whether it is done, and the buttons. */
export function setupView(step: number, state: SetupState, t: Translate): Screen {
  const lines = [
    t("admin_profile.setup_title", { step }),
    t(`admin_profile.${STEP_TEXT[step - 1]}`),
  ];
  const buttons: Buttons = [];
  if (step < SETUP_STEPS) {
    const done = state[STEP_DONE[step - 1]];
    lines.push(t(done ? "admin_profile.setup_state_done" : "admin_profile.setup_state_missing"));
    lines.push(t("admin_profile.setup_return"));
    const open = [
      button(t("admin_profile.setup_open_profile"), cb.adminSection.pack({ section: "profile" })),
      button(t("admin_profile.setup_open_hours"), cb.adminSection.pack({ section: "schedule" })),
      button(t("admin_profile.setup_open_service"), servicesCb.create.pack({})),
    ][step - 1];
    buttons.push([open], [
      button(t("admin_profile.setup_next"), profileCb.step.pack({ s: step + 1 })),
    ]);
    buttons.push([button(t("admin_profile.setup_skip"), profileCb.end.pack({ skip: 1 }))]);
  } else {
    buttons.push([button(t("admin_profile.setup_finish"), profileCb.end.pack({ skip: 0 }))]);
  }
  return { text: lines.join("\n\n"), buttons };
}
