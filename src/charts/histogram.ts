import { numericValue, type ExactDecimal } from './statistics.js';

/** A horizontal bar chart's data (spec §13.6): labels and one count each. */
export interface Histogram {
  categories: string[];
  data: number[];
}

/** A value and how many answers gave it (reads group equal values to keep transfers small). */
export type WeightedValue = readonly [value: string | null, answers: number];

/**
 * An edge label: rounded to 2 decimals, shortest form with at least one fractional digit
 * (2 → "2.0", 4.6667 → "4.67", −1.5 → "-1.5").
 */
function edgeLabel(edge: ExactDecimal): string {
  const value = edge.toDecimalPlaces(2);
  const text = value.isZero() ? '0' : value.toFixed();
  return text.includes('.') ? text : `${text}.0`;
}

/**
 * The automatic histogram of spec §13.6.1: ⌈√n⌉ equal-width bins over [min, max] (one bin
 * [v − 0.5, v + 0.5] when every value is equal), each holding its left edge, the last also its right.
 * @param values the valueToUse of the answers with how many answers gave each; non-numeric ones are skipped.
 * @returns labels and counts (both empty without a numeric value).
 */
export function histogram(values: Iterable<WeightedValue>): Histogram {
  const numbers: [ExactDecimal, number][] = [];
  for (const [value, answers] of values) {
    const number = numericValue(value);
    if (number && answers > 0) numbers.push([number, answers]);
  }
  if (!numbers.length) return { categories: [], data: [] };
  const n = numbers.reduce((total, [, answers]) => total + answers, 0);
  let min = numbers[0]![0];
  let max = min;
  for (const [number] of numbers) {
    if (number.lt(min)) min = number;
    if (number.gt(max)) max = number;
  }
  const same = min.eq(max);
  const bins = same ? 1 : Math.ceil(Math.sqrt(n));
  const low = same ? min.minus(0.5) : min;
  const width = (same ? max.plus(0.5) : max).minus(low);
  const data = new Array<number>(bins).fill(0);
  for (const [number, answers] of numbers) {
    // (v − low)·k ÷ width, truncated exactly: the bin whose left edge is at or below v.
    const bin = Math.min(number.minus(low).times(bins).divToInt(width).toNumber(), bins - 1);
    data[bin]! += answers;
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? low.plus(width) : low.plus(width.times(i).div(bins))));
  const categories = data.map((_, i) => `${edgeLabel(edges[i]!)}-${edgeLabel(edges[i + 1]!)}`);
  return { categories, data };
}
