import { NUMERIC_TESTS, type NumericTest, type Question, type QuestionKind, type QuestionRule } from './types.js';

const numericTests = new Set<string>(NUMERIC_TESTS);

/**
 * Tells whether a rule's test is one of the numeric tests.
 * @returns true for `has_number*` tests.
 */
export function isNumericTest(test: string): test is NumericTest {
  return numericTests.has(test);
}

/**
 * Infers a question's kind as TracPro does: no rules → open; all numeric → numeric; else categorical.
 * @param rules the question's rules, catch-all excluded.
 * @returns the inferred kind.
 */
export function inferKind(rules: QuestionRule[]): QuestionKind {
  if (rules.length === 0) return 'open';
  return rules.every((rule) => isNumericTest(rule.test)) ? 'numeric' : 'categorical';
}

/**
 * Tells whether any numeric rule compares against an expression (an `@…` argument).
 * @returns true when thresholds cannot be evaluated offline.
 */
export function hasDynamicThresholds(rules: QuestionRule[]): boolean {
  return rules.some((rule) => isNumericTest(rule.test) && rule.args.some((arg) => !isNumericLiteral(arg)));
}

function isNumericLiteral(text: string): boolean {
  return text.trim() !== '' && Number.isFinite(Number(text));
}

function matches(rule: QuestionRule, value: number): boolean {
  if (!isNumericTest(rule.test)) return false;
  if (!rule.args.every(isNumericLiteral) && rule.test !== 'has_number') return false;
  const [a = Number.NaN, b = Number.NaN] = rule.args.map(Number);
  switch (rule.test) {
    case 'has_number':
      return true;
    case 'has_number_eq':
      return value === a;
    case 'has_number_lt':
      return value < a;
    case 'has_number_lte':
      return value <= a;
    case 'has_number_gt':
      return value > a;
    case 'has_number_gte':
      return value >= a;
    case 'has_number_between':
      return value >= a && value <= b;
  }
}

/**
 * Categorises a number (e.g. an average) with a question's numeric rules, in order; the first
 * match wins, no match gives the default category, rules with `@` arguments never match.
 * @param question the question whose rules apply.
 * @param value the number to categorise; non-finite values are not numbers.
 * @returns the category name, or the default category (possibly null).
 */
export function categoriseNumber(question: Pick<Question, 'rules' | 'defaultCategory'>, value: number): string | null {
  if (!Number.isFinite(value)) return question.defaultCategory;
  for (const rule of question.rules) {
    if (matches(rule, value)) return rule.category;
  }
  return question.defaultCategory;
}

/**
 * Reads a run value as a number the way the engine stored it (`Number()`, NaN → null).
 * @returns the number, or null when the value is not numeric.
 */
export function parseNumericValue(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}
