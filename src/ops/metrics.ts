/** A tiny Prometheus registry (counters, gauges, histograms with labels) in text format 0.0.4. */

/** Label values of one series, by label name. */
export type Labels = Record<string, string | number>;

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Default latency buckets in seconds for Bot API calls. */
export const API_LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;

/** The content type of the text exposition format. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function renderLabels(pairs: [string, string][]): string {
  if (pairs.length === 0) return "";
  return `{${pairs.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}`;
}

/** The key and label pairs of the one series of a metric without labels (never mutated). */
const NO_LABELS: [string, [string, string][]] = [JSON.stringify([]), []];

abstract class Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {
    if (!NAME_RE.test(name)) throw new Error(`Invalid metric name "${name}"`);
    for (const label of labelNames) {
      if (!LABEL_RE.test(label) || label.startsWith("__") || label === "le") {
        throw new Error(`Invalid label name "${label}" for metric ${name}`);
      }
    }
  }

  abstract readonly type: "counter" | "gauge" | "histogram";
  abstract renderSamples(): string[];

  /** Checks `labels` has exactly the declared names; returns [key, label pairs]. */
  protected key(labels: Labels | undefined): [string, [string, string][]] {
    // The usual call (no labels on a metric without any) allocates nothing: it runs per update.
    if (labels === undefined && this.labelNames.length === 0) return NO_LABELS;
    const given = labels ?? {};
    const names = Object.keys(given);
    if (
      names.length !== this.labelNames.length || names.some((n) => !this.labelNames.includes(n))
    ) {
      throw new Error(
        `Metric ${this.name} takes labels {${this.labelNames.join(", ")}}, got {${
          names.join(", ")
        }}`,
      );
    }
    const pairs = this.labelNames.map((n) => [n, String(given[n])] as [string, string]);
    return [JSON.stringify(pairs), pairs];
  }

  render(): string {
    return [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`]
      .concat(this.renderSamples()).join("\n");
  }
}

/** A value that only goes up. */
export class Counter extends Metric {
  readonly type = "counter";
  readonly #series = new Map<string, { pairs: [string, string][]; value: number }>();

  /** Adds `value` (default 1, never negative) to the series with `labels`. */
  inc(labels?: Labels, value = 1): void {
    if (!(value >= 0)) throw new Error(`Counter ${this.name} can only go up, got ${value}`);
    const [key, pairs] = this.key(labels);
    const entry = this.#series.get(key);
    if (entry) entry.value += value;
    else this.#series.set(key, { pairs, value });
  }

  /** The current value of the series with `labels` (0 if never touched). */
  get(labels?: Labels): number {
    return this.#series.get(this.key(labels)[0])?.value ?? 0;
  }

  renderSamples(): string[] {
    if (this.labelNames.length === 0 && this.#series.size === 0) return [`${this.name} 0`];
    return [...this.#series.values()].map((s) =>
      `${this.name}${renderLabels(s.pairs)} ${formatNumber(s.value)}`
    );
  }
}

/** A value that can go up and down. */
export class Gauge extends Metric {
  readonly type = "gauge";
  readonly #series = new Map<string, { pairs: [string, string][]; value: number }>();

  /** Sets the series with `labels` to `value`. */
  set(labels: Labels | undefined, value: number): void {
    const [key, pairs] = this.key(labels);
    const entry = this.#series.get(key);
    if (entry) entry.value = value;
    else this.#series.set(key, { pairs, value });
  }

  /** Adds `value` (default 1) to the series with `labels`. */
  inc(labels?: Labels, value = 1): void {
    this.set(labels, this.get(labels) + value);
  }

  /** Subtracts `value` (default 1) from the series with `labels`. */
  dec(labels?: Labels, value = 1): void {
    this.set(labels, this.get(labels) - value);
  }

  /** The current value of the series with `labels` (0 if never set). */
  get(labels?: Labels): number {
    return this.#series.get(this.key(labels)[0])?.value ?? 0;
  }

  renderSamples(): string[] {
    if (this.labelNames.length === 0 && this.#series.size === 0) return [`${this.name} 0`];
    return [...this.#series.values()].map((s) =>
      `${this.name}${renderLabels(s.pairs)} ${formatNumber(s.value)}`
    );
  }
}

interface HistogramSeries {
  pairs: [string, string][];
  counts: number[];
  sum: number;
  count: number;
}

/** Observations counted into cumulative buckets, with their sum and count. */
export class Histogram extends Metric {
  readonly type = "histogram";
  readonly buckets: readonly number[];
  readonly #series = new Map<string, HistogramSeries>();

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    buckets: readonly number[],
  ) {
    super(name, help, labelNames);
    const sorted = [...buckets].filter((b) => Number.isFinite(b)).sort((a, b) => a - b);
    if (sorted.length === 0 || new Set(sorted).size !== sorted.length) {
      throw new Error(`Histogram ${name} needs distinct finite buckets`);
    }
    this.buckets = sorted;
  }

  /** Records one observation `value` (seconds for latencies) in the series with `labels`. */
  observe(labels: Labels | undefined, value: number): void {
    if (!Number.isFinite(value)) return;
    const [key, pairs] = this.key(labels);
    let entry = this.#series.get(key);
    if (!entry) {
      entry = { pairs, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.#series.set(key, entry);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) entry.counts[i]++;
    entry.sum += value;
    entry.count++;
  }

  /** Count and sum observed in the series with `labels`. */
  get(labels?: Labels): { count: number; sum: number } {
    const entry = this.#series.get(this.key(labels)[0]);
    return { count: entry?.count ?? 0, sum: entry?.sum ?? 0 };
  }

  renderSamples(): string[] {
    const lines: string[] = [];
    for (const s of this.#series.values()) {
      this.buckets.forEach((b, i) => {
        lines.push(
          `${this.name}_bucket${renderLabels([...s.pairs, ["le", formatNumber(b)]])} ${
            s.counts[i]
          }`,
        );
      });
      lines.push(`${this.name}_bucket${renderLabels([...s.pairs, ["le", "+Inf"]])} ${s.count}`);
      lines.push(`${this.name}_sum${renderLabels(s.pairs)} ${formatNumber(s.sum)}`);
      lines.push(`${this.name}_count${renderLabels(s.pairs)} ${s.count}`);
    }
    return lines;
  }
}

/** A set of metrics rendered together. */
export class Registry {
  readonly #metrics = new Map<string, Metric>();

  #add<M extends Metric>(metric: M): M {
    if (this.#metrics.has(metric.name)) throw new Error(`Metric ${metric.name} already exists`);
    this.#metrics.set(metric.name, metric);
    return metric;
  }

  /** Registers a counter. */
  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.#add(new Counter(name, help, labelNames));
  }

  /** Registers a gauge. */
  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    return this.#add(new Gauge(name, help, labelNames));
  }

  /** Registers a histogram (default buckets: API_LATENCY_BUCKETS). */
  histogram(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    buckets: readonly number[] = API_LATENCY_BUCKETS,
  ): Histogram {
    return this.#add(new Histogram(name, help, labelNames, buckets));
  }

  /** All metrics in the Prometheus text exposition format (ends with a newline). */
  render(): string {
    return [...this.#metrics.values()].map((m) => m.render()).join("\n") + "\n";
  }
}

/** The metrics the bot records, registered in one registry. */
export interface BotMetrics {
  registry: Registry;
  updatesTotal: Counter;
  errorsTotal: Counter;
  bookingsCreatedTotal: Counter;
  bookingsCancelledTotal: Counter;
  remindersSentTotal: Counter;
  telegramApiCallDuration: Histogram;
  lastUpdateTimestampSeconds: Gauge;
  /** Time from receiving an update to the end of its handling, in seconds. */
  updateHandlingDuration: Histogram;
  /** Runs `collect` before every render (for values read at scrape time: sizes, memory). */
  onRender(collect: () => void): void;
  /** Renders the registry (so a BotMetrics can be handed to the health server directly). */
  render(): string;
}

/** Buckets in seconds for the time an update takes to handle. */
export const UPDATE_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Creates a registry with every metric the bot uses. */
export function createBotMetrics(): BotMetrics {
  const registry = new Registry();
  const collectors: (() => void)[] = [];
  const updatesTotal = registry.counter("updates_total", "Telegram updates received.");
  const errorsTotal = registry.counter(
    "errors_total",
    "Errors while handling updates or running jobs.",
  );
  const errorRatio = registry.gauge(
    "update_error_ratio",
    "Errors per update received since the start (errors_total / updates_total).",
  );
  collectors.push(() =>
    errorRatio.set(undefined, updatesTotal.get() ? errorsTotal.get() / updatesTotal.get() : 0)
  );
  return {
    registry,
    updatesTotal,
    errorsTotal,
    bookingsCreatedTotal: registry.counter("bookings_created_total", "Bookings created."),
    bookingsCancelledTotal: registry.counter("bookings_cancelled_total", "Bookings cancelled."),
    remindersSentTotal: registry.counter("reminders_sent_total", "Reminders sent, by kind.", [
      "kind",
    ]),
    telegramApiCallDuration: registry.histogram(
      "telegram_api_call_duration_seconds",
      "Duration of Telegram Bot API calls in seconds, by method.",
      ["method"],
    ),
    lastUpdateTimestampSeconds: registry.gauge(
      "last_update_timestamp_seconds",
      "Unix time in seconds of the last update received.",
    ),
    updateHandlingDuration: registry.histogram(
      "update_handling_duration_seconds",
      "Time to handle one Telegram update, in seconds.",
      [],
      UPDATE_DURATION_BUCKETS,
    ),
    onRender: (collect) => collectors.push(collect),
    render: () => {
      for (const collect of collectors) collect();
      return registry.render();
    },
  };
}
