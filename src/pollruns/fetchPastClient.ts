import { RapidProClient, RequestBudget } from '../rapidpro/client/index.js';

/**
 * A budget that counts the requests it lets through and defers every decision to the org's
 * shared budget, so a fetch stays within the org's share while knowing what it spent.
 */
class CountingBudget extends RequestBudget {
  count: number;

  constructor(private readonly shared: RequestBudget, start: number) {
    super(shared.rate);
    this.count = start;
  }

  override take(scope: string): number {
    const wait = this.shared.take(scope);
    if (wait === 0) this.count++;
    return wait;
  }

  override used(scope: string): number {
    return this.shared.used(scope);
  }
}

/**
 * Wraps an org's client so that every API request it sends (pages, retries, contact look-ups) is
 * counted. Archive downloads are pre-signed URLs outside the API and its rate limit: not counted.
 * @param client the org's client (from rapidProFor).
 * @param start requests already made by earlier attempts of the same fetch.
 * @returns the counting client and a reader of the count.
 */
export function countingClient(client: RapidProClient, start = 0): { client: RapidProClient; requests: () => number } {
  const budget = new CountingBudget(client.transport.budget, start);
  return { client: new RapidProClient({ ...client.transport.options, budget }), requests: () => budget.count };
}
