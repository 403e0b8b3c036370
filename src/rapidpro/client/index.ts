export { RapidProClient, type ContactWrite, type Recipients, type TimeInput } from './RapidProClient.js';
export { PageWalk, type WalkPage } from './pageWalk.js';
export { RequestBudget, DEFAULT_BUDGET, type BudgetRate } from './budget.js';
export { Transport, scopeOfPath, type ClientLogger, type RetryOptions, type TransportOptions } from './transport.js';
export * from './errors.js';
export * from './schemas.js';
export { formatApiTime, parseApiTime, type ApiTime } from './timestamps.js';
