import { Decimal } from 'decimal.js';
import { parseDecimal } from '../polls/rules.js';

/**
 * Exact decimals for statistics (spec "Conventions"): sums, squares and variances are exact; only
 * the square root and non-terminating quotients are rounded, at 60 digits, far below the one
 * decimal shown. ROUND_HALF_UP in decimal.js rounds halves away from zero.
 */
export const Exact = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });
export type ExactDecimal = InstanceType<typeof Exact>;

/**
 * What the statistics of one group of answers need (spec §13.1): how many answers, and the count,
 * sum and sum of squares of those that parse as numbers. Counters store exactly this, and
 * `totalsOf` builds it from individual values, so both paths share one computation.
 */
export interface Totals {
  /** Every answer, numeric or not (the response rate counts them all). */
  answers: number;
  /** Answers whose value parses as a number (§11.2). */
  count: number;
  /** Exact decimal text of the sum of the numeric values. */
  sum: string;
  /** Exact decimal text of the sum of their squares. */
  squares: string;
}

export const NO_TOTALS: Totals = Object.freeze({ answers: 0, count: 0, sum: '0', squares: '0' });

/** The statistic of one poll run (spec §13.1), each rounded to one decimal. */
export interface Statistic {
  sum: number;
  avg: number;
  /** Population standard deviation of the numeric values. */
  stdev: number;
  /** 100 × answers ÷ selected responses. */
  rate: number;
}

/** The summary table of a question (spec §13.3). */
export interface Summary {
  mean: number;
  stdev: number;
  rateAverage: number;
}

/**
 * Reads a value as §11.2 does (the same parse as categorization and the database's counters).
 * @param value a stored value.
 * @returns the exact number, or null when the value is not numeric.
 */
export function numericValue(value: unknown): ExactDecimal | null {
  const parsed = parseDecimal(value);
  if (!parsed) return null;
  if (parsed.sign === 0) return new Exact(0);
  return new Exact(`${parsed.sign < 0 ? '-' : ''}0.${parsed.digits}e${parsed.point + 1}`);
}

/**
 * Builds totals from individual values.
 * @param values the valueToUse of each answer (null counts as a non-numeric answer).
 * @returns the totals.
 */
export function totalsOf(values: Iterable<string | null>): Totals {
  let answers = 0;
  let count = 0;
  let sum = new Exact(0);
  let squares = new Exact(0);
  for (const value of values) {
    answers++;
    const number = numericValue(value);
    if (!number) continue;
    count++;
    sum = sum.plus(number);
    squares = squares.plus(number.times(number));
  }
  return { answers, count, sum: sum.toFixed(), squares: squares.toFixed() };
}

/**
 * Adds two totals (regions into a poll run, poll runs into a boundary, …).
 * @returns a + b.
 */
export function addTotals(a: Totals, b: Totals): Totals {
  return {
    answers: a.answers + b.answers,
    count: a.count + b.count,
    sum: new Exact(a.sum).plus(b.sum).toFixed(),
    squares: new Exact(a.squares).plus(b.squares).toFixed(),
  };
}

/**
 * Rounds to a number of decimals, half away from zero, as a JavaScript number for charts.
 * @param value an exact decimal.
 * @param places decimals kept.
 * @returns the rounded number (never -0).
 */
export function rounded(value: ExactDecimal, places = 1): number {
  const number = Number(value.toDecimalPlaces(places).toFixed(places));
  return number === 0 ? 0 : number;
}

/**
 * The exact mean and population variance of totals with at least one numeric value; the variance
 * is (n·Σx² − (Σx)²) ÷ n², exact and never negative.
 * @param totals the totals.
 * @returns mean and variance, or null without numeric values.
 */
export function moments(totals: Totals): { mean: ExactDecimal; variance: ExactDecimal } | null {
  if (totals.count <= 0) return null;
  const n = new Exact(totals.count);
  const sum = new Exact(totals.sum);
  const spread = n.times(totals.squares).minus(sum.times(sum));
  return { mean: sum.div(n), variance: Exact.max(spread, 0).div(n.times(n)) };
}

/**
 * The per-poll-run statistic of spec §13.1.
 * @param totals the answers' totals (one question, one poll run, maybe one region).
 * @param responses the selected responses of that poll run (all statuses, empty ones included).
 * @returns the statistic, or null when there is no selected response (charts then use 0).
 */
export function statisticOf(totals: Totals, responses: number): Statistic | null {
  if (responses <= 0) return null;
  const m = moments(totals);
  return {
    sum: rounded(new Exact(totals.sum)),
    avg: m ? rounded(m.mean) : 0,
    stdev: m ? rounded(m.variance.sqrt()) : 0,
    rate: rounded(new Exact(totals.answers).times(100).div(responses)),
  };
}

/**
 * Mean of a per-poll-run metric over every charted poll run, 0 standing for those without a
 * statistic (spec §13.1 overallMean).
 * @param values one value per charted poll run.
 * @returns the mean rounded to one decimal (0 for no poll run).
 */
export function overallMean(values: number[]): number {
  return values.length ? rounded(sumOf(values).div(values.length)) : 0;
}

/**
 * Population standard deviation of the same padded list (spec §13.1 overallStdev).
 * @param values one value per charted poll run.
 * @returns the standard deviation rounded to one decimal.
 */
export function overallStdev(values: number[]): number {
  const squares = values.reduce((total, v) => total.plus(new Exact(v).times(v)), new Exact(0));
  const m = moments({ answers: values.length, count: values.length, sum: sumOf(values).toFixed(), squares: squares.toFixed() });
  return m ? rounded(m.variance.sqrt()) : 0;
}

function sumOf(values: number[]): ExactDecimal {
  return values.reduce((total, v) => total.plus(v), new Exact(0));
}

/**
 * The summary table of a question over time (spec §13.3): Mean and Standard deviation of the
 * per-poll-run averages, and the average response rate, poll runs without a statistic as 0.
 * @param statistics one entry per charted poll run.
 * @returns the summary.
 */
export function summaryOf(statistics: (Statistic | null)[]): Summary {
  const averages = statistics.map((s) => s?.avg ?? 0);
  return { mean: overallMean(averages), stdev: overallStdev(averages), rateAverage: overallMean(statistics.map((s) => s?.rate ?? 0)) };
}

/**
 * The summary table of a single poll run (spec §13.6): its own statistic.
 * @param statistic the poll run's statistic, or null without responses.
 * @returns the summary.
 */
export function pollRunSummaryOf(statistic: Statistic | null): Summary {
  return { mean: statistic?.avg ?? 0, stdev: statistic?.stdev ?? 0, rateAverage: statistic?.rate ?? 0 };
}
