/**
 * Locale keys as types, read by the compiler from the Russian catalogs (the locale test checks
 * that every language has the same keys). A new namespace is one import and one line below.
 */
import admin from "../../locales/ru/admin.json" with { type: "json" };
import adminAccess from "../../locales/ru/admin_access.json" with { type: "json" };
import adminBackups from "../../locales/ru/admin_backups.json" with { type: "json" };
import adminClients from "../../locales/ru/admin_clients.json" with { type: "json" };
import adminBookings from "../../locales/ru/admin_bookings.json" with { type: "json" };
import adminInsight from "../../locales/ru/admin_insight.json" with { type: "json" };
import adminNotify from "../../locales/ru/admin_notify.json" with { type: "json" };
import adminProfile from "../../locales/ru/admin_profile.json" with { type: "json" };
import adminSchedule from "../../locales/ru/admin_schedule.json" with { type: "json" };
import adminServices from "../../locales/ru/admin_services.json" with { type: "json" };
import booking from "../../locales/ru/booking.json" with { type: "json" };
import common from "../../locales/ru/common.json" with { type: "json" };
import errors from "../../locales/ru/errors.json" with { type: "json" };
import feedback from "../../locales/ru/feedback.json" with { type: "json" };
import jobs from "../../locales/ru/jobs.json" with { type: "json" };
import master from "../../locales/ru/master.json" with { type: "json" };
import my from "../../locales/ru/my.json" with { type: "json" };
import ops from "../../locales/ru/ops.json" with { type: "json" };
import waitlist from "../../locales/ru/waitlist.json" with { type: "json" };

/** The keys of each namespace, without the namespace. */
export interface Namespaces {
  admin: keyof typeof admin;
  admin_access: keyof typeof adminAccess;
  admin_backups: keyof typeof adminBackups;
  admin_bookings: keyof typeof adminBookings;
  admin_clients: keyof typeof adminClients;
  admin_insight: keyof typeof adminInsight;
  admin_notify: keyof typeof adminNotify;
  admin_profile: keyof typeof adminProfile;
  admin_schedule: keyof typeof adminSchedule;
  admin_services: keyof typeof adminServices;
  booking: keyof typeof booking;
  common: keyof typeof common;
  errors: keyof typeof errors;
  feedback: keyof typeof feedback;
  jobs: keyof typeof jobs;
  master: keyof typeof master;
  my: keyof typeof my;
  ops: keyof typeof ops;
  waitlist: keyof typeof waitlist;
}

/** A namespace of the catalogs ("admin_services", "booking", ...). */
export type Namespace = keyof Namespaces;

/** Every key of the catalogs, as `namespace.key`. */
export type LocaleKey = { [N in Namespace]: `${N}.${Namespaces[N] & string}` }[Namespace];
