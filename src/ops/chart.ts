/** The chart renderer moved to src/ui/chart.ts (it is presentation); kept for old imports. */
export * from "../ui/chart.ts";
