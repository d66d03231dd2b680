/**
 * LeanComposer: grammY's Composer with a chain that allocates little per update.
 *
 * grammY links every registered middleware with two async wrappers, and runs each filter
 * (`on`, `command`, `callbackQuery`, `hears`...) through `branch` and `lazy`, which build a new
 * Composer, an array and several closures and promises for EVERY update that passes by, match
 * or not. With ~150 handlers an update walked past most of them: about 30 % of all the bytes
 * the bot allocated per update (bench/alloc_profile.ts). Here a composer compiles its tree of
 * composers into one flat list of steps, a filter being a step that tests its predicate and
 * otherwise jumps past what it guards; only a middleware function that runs gets a `next`. The
 * order, the `next` contract (callable once) and the errors are grammY's.
 */
import {
  Composer,
  type Context,
  type Middleware,
  type MiddlewareFn,
  type NextFunction,
} from "grammy";

/**
 * One step of a compiled chain: a middleware function to run, or a filter: when `when` holds
 * the steps after it run, else the chain goes on at `skip` (just past the steps it guards).
 */
export type Step<C extends Context> =
  | { run: MiddlewareFn<C>; when?: undefined; skip?: undefined }
  | { run?: undefined; when: (ctx: C) => boolean | Promise<boolean>; skip: number };

/**
 * Runs `steps[i..]` with `ctx`: each middleware's `next` goes on with the following step, the
 * end of the list calls `next`; a filter that does not hold is jumped over (no closure, no
 * promise). Resolves when the first middleware run settles (what it resolves to is ignored, as
 * by grammY); a step that throws rejects; a second call of the same `next` rejects as grammY's.
 */
export function runSteps<C extends Context>(
  steps: readonly Step<C>[],
  ctx: C,
  next: NextFunction,
  i = 0,
): Promise<void> {
  try {
    while (i < steps.length) {
      const step = steps[i];
      if (step.run) return runMiddleware(step.run, steps, ctx, next, i);
      const holds = step.when(ctx);
      if (holds instanceof Promise) {
        const at = i;
        return holds.then((ok) => runSteps(steps, ctx, next, ok ? at + 1 : step.skip));
      }
      i = holds ? i + 1 : step.skip;
    }
  } catch (error) {
    return Promise.reject(error);
  }
  return next();
}

/** Runs `run` (steps[i]) with a `next` that goes on at i + 1, callable once (throws: caller catches). */
function runMiddleware<C extends Context>(
  run: MiddlewareFn<C>,
  steps: readonly Step<C>[],
  ctx: C,
  next: NextFunction,
  i: number,
): Promise<void> {
  let called = false;
  return Promise.resolve(run(ctx, () => {
    if (called) return Promise.reject(new Error("`next` already called before!"));
    called = true;
    return runSteps(steps, ctx, next, i + 1);
  })) as Promise<void>;
}

/** What a composer holds: middleware, other lean composers, and filters guarding a composer. */
type Part<C extends Context> =
  | { middleware: Middleware<C> }
  | { when: (ctx: C) => boolean | Promise<boolean>; guarded: LeanComposer<C> };

/** Bumped by every registration on any LeanComposer: compiled chains older than it are rebuilt. */
let registrations = 0;

/** A Composer whose `use` and `filter` (so `on`, `command`, `callbackQuery`...) are cheap per update. */
export class LeanComposer<C extends Context> extends Composer<C> {
  readonly #parts: Part<C>[] = [];
  #steps: Step<C>[] = [];
  #compiledAt = -1;
  readonly #run: MiddlewareFn<C> = (ctx, next) => {
    // Registrations happen at start; a later one (anywhere in the tree) recompiles once.
    if (this.#compiledAt !== registrations) {
      const steps: Step<C>[] = [];
      this.compileInto(steps);
      this.#steps = steps;
      this.#compiledAt = registrations;
    }
    return runSteps(this.#steps, ctx, next);
  };

  constructor(...middleware: Middleware<C>[]) {
    super();
    for (const mw of middleware) this.#parts.push({ middleware: mw });
    registrations++;
  }

  override middleware(): MiddlewareFn<C> {
    return this.#run;
  }

  /** Appends this composer's steps, the lean composers in it inlined, to `steps`. */
  protected compileInto(steps: Step<C>[]): void {
    for (const part of this.#parts) {
      if ("when" in part) {
        const filter = { when: part.when, skip: 0 };
        steps.push(filter);
        part.guarded.compileInto(steps);
        filter.skip = steps.length;
      } else if (part.middleware instanceof LeanComposer) {
        part.middleware.compileInto(steps);
      } else {
        const mw = part.middleware;
        // Another composer's middleware is looked up per update, as grammY does.
        steps.push({
          run: typeof mw === "function" ? mw : (ctx, next) => mw.middleware()(ctx, next),
        });
      }
    }
  }

  /** As grammY's: runs `middleware` after everything registered so far; returns their composer. */
  override use(...middleware: Middleware<C>[]): Composer<C> {
    const composer = new LeanComposer<C>(...middleware);
    this.#parts.push({ middleware: composer });
    registrations++;
    return composer;
  }

  /** As grammY's: `middleware` runs when `predicate` holds (awaited if a promise), else next. */
  override filter<D extends C>(
    predicate: (ctx: C) => ctx is D,
    ...middleware: Middleware<D>[]
  ): Composer<D>;
  override filter(
    predicate: (ctx: C) => boolean | Promise<boolean>,
    ...middleware: Middleware<C>[]
  ): Composer<C>;
  override filter(
    predicate: (ctx: C) => boolean | Promise<boolean>,
    ...middleware: Middleware<C>[]
  ): Composer<C> {
    const composer = new LeanComposer<C>(...middleware);
    this.#parts.push({ when: predicate, guarded: composer });
    registrations++;
    return composer;
  }
}
