/** Per-scope request budget settings. */
export interface BudgetRate {
  /** Requests allowed per window in each scope. */
  requests: number;
  /** Window length in ms (3,600,000 for the server's hourly window). */
  windowMs: number;
}

/** Default budget: half of the common 2500/h server rate, so other tools keep their share. */
export const DEFAULT_BUDGET: BudgetRate = { requests: 1250, windowMs: 3_600_000 };

/**
 * A sliding-window request budget per throttle scope of one workspace; share one instance among
 * every client of the same org so the budget holds across jobs.
 */
export class RequestBudget {
  private readonly sent = new Map<string, number[]>();

  /**
   * @param rate the budget per scope, or null for no client-side limit.
   * @param now clock in ms (injectable for tests).
   */
  constructor(
    readonly rate: BudgetRate | null = DEFAULT_BUDGET,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Records a request in a scope if the budget allows it.
   * @returns 0 when recorded, else the ms to wait before asking again.
   */
  take(scope: string): number {
    if (!this.rate) return 0;
    const list = this.sent.get(scope) ?? [];
    this.sent.set(scope, list);
    const horizon = this.now() - this.rate.windowMs;
    while (list.length > 0 && list[0]! <= horizon) list.shift();
    if (list.length >= this.rate.requests) return Math.max(1, list[0]! - horizon);
    list.push(this.now());
    return 0;
  }

  /** Requests counted in the current window of a scope. */
  used(scope: string): number {
    return this.sent.get(scope)?.length ?? 0;
  }
}
