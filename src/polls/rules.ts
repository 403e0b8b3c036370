import type { QuestionRule } from '../rapidpro/definitions/types.js';

/** A question type (spec §6.8, decision D6). */
export const QUESTION_TYPES = ['open', 'multiple_choice', 'numeric', 'menu', 'keypad', 'recording'] as const;
export type QuestionTypeName = (typeof QUESTION_TYPES)[number];

/** A rule's test as stored (spec §11.1): a type and its parameters, strings or numbers. */
export interface StoredTest {
  type: string;
  [param: string]: unknown;
}

/** One stored rule of a question (spec §11.1). */
export interface StoredRule {
  category: string;
  test: StoredTest;
}

/** A category as RapidPro gives it: a name, or a map language → name. */
export type RawCategory = string | Record<string, string> | null | undefined;

/**
 * Test types the type guess counts as numeric: §11.4's five, plus `lte`/`gte`, which legacy flows
 * also use (rapidpro-api §8.4), so both definition formats guess the same type.
 */
const NUMERIC_TYPES = new Set(['number', 'lt', 'eq', 'gt', 'between', 'lte', 'gte']);

/** Goflow numeric test names → stored (legacy) test types. */
const FROM_GOFLOW: Record<string, string> = {
  has_number: 'number',
  has_number_eq: 'eq',
  has_number_lt: 'lt',
  has_number_lte: 'lte',
  has_number_gt: 'gt',
  has_number_gte: 'gte',
  has_number_between: 'between',
};

/** The category that stands for "no category" on open questions (spec §6.11). */
export const ALL_RESPONSES = 'All Responses';
/** The fallback category of categorize and the last entry of every category list. */
export const OTHER = 'Other';

/**
 * Reduces a category given as a language map to one name: `base`, else the first entry (spec §11.1).
 * @param category a name or a map language → name.
 * @returns the name, or null when there is none.
 */
export function reduceCategory(category: RawCategory): string | null {
  if (category === null || category === undefined) return null;
  if (typeof category === 'string') return category;
  return category.base ?? Object.values(category)[0] ?? null;
}

/**
 * The category an answer stores (spec §6.11, §24.10): language maps reduced, "All Responses"
 * (the open-ended default) and empty names become null.
 * @param category the category RapidPro recorded.
 * @returns the category to store, or null.
 */
export function answerCategory(category: RawCategory): string | null {
  const name = reduceCategory(category);
  return name === null || name === '' || name === ALL_RESPONSES ? null : name;
}

/**
 * Converts a question's normalised rules (goflow vocabulary, from the definitions extractor) to
 * the stored format of spec §11.1; non-numeric tests keep their goflow name and arguments.
 * @param rules rules in evaluation order, catch-all excluded.
 * @returns stored rules, same order.
 */
export function toStoredRules(rules: QuestionRule[]): StoredRule[] {
  return rules.map((rule) => {
    const type = FROM_GOFLOW[rule.test];
    if (type === 'number') return { category: rule.category, test: { type } };
    if (type === 'between') return { category: rule.category, test: { type, min: rule.args[0] ?? '', max: rule.args[1] ?? '' } };
    if (type) return { category: rule.category, test: { type, test: rule.args[0] ?? '' } };
    return { category: rule.category, test: { type: rule.test, args: rule.args } };
  });
}

/** An exact decimal: sign, significant digits without leading/trailing zeros, and the exponent of the first digit. */
interface Decimal {
  sign: -1 | 0 | 1;
  digits: string;
  /** Power of ten of the first significant digit. */
  point: number;
}

// Exponents of up to three digits, as the database's tracpro_numeric() reads them for counters.
const NUMERIC_TEXT = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d{1,3}))?$/;

/**
 * Parses a value or test parameter as an exact decimal (spec §11.2): a finite number, or a string
 * (surrounding whitespace allowed) with optional sign, digits with an optional fraction (or a
 * leading-dot fraction) and an optional exponent.
 * @param value anything.
 * @returns the decimal, or null when the value is not numeric.
 */
export function parseDecimal(value: unknown): Decimal | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return null;
  }
  const match = NUMERIC_TEXT.exec(text);
  if (!match) return null;
  const [, signText, mantissa = '', exponentText] = match;
  const [whole = '', fraction = ''] = mantissa.split('.');
  const all = whole + fraction;
  const lead = all.search(/[1-9]/);
  if (lead === -1) return { sign: 0, digits: '', point: 0 };
  const digits = all.slice(lead).replace(/0+$/, '');
  const exponent = exponentText ? Number(exponentText) : 0;
  return { sign: signText === '-' ? -1 : 1, digits, point: whole.length - lead - 1 + exponent };
}

/**
 * Compares two exact decimals.
 * @returns negative, zero or positive as a < b, a = b, a > b.
 */
export function compareDecimals(a: Decimal, b: Decimal): number {
  if (a.sign !== b.sign) return a.sign - b.sign;
  if (a.sign === 0) return 0;
  let magnitude: number;
  if (a.point !== b.point) magnitude = a.point > b.point ? 1 : -1;
  else {
    const width = Math.max(a.digits.length, b.digits.length);
    const x = a.digits.padEnd(width, '0');
    const y = b.digits.padEnd(width, '0');
    magnitude = x === y ? 0 : x > y ? 1 : -1;
  }
  return a.sign * magnitude;
}

/**
 * Evaluates one numeric test on a value (spec §11.1–11.2); non-numeric values or parameters fail,
 * as do non-numeric test types.
 * @param test the stored test.
 * @param value the value.
 * @returns whether the test passes.
 */
export function testPasses(test: StoredTest, value: unknown): boolean {
  const number = parseDecimal(value);
  if (!number) return false;
  const against = (param: unknown): number | null => {
    const bound = parseDecimal(param);
    return bound ? compareDecimals(number, bound) : null;
  };
  switch (test.type) {
    case 'number':
      return true;
    case 'between': {
      const low = against(test.min);
      const high = against(test.max);
      return low !== null && high !== null && low >= 0 && high <= 0;
    }
    case 'eq':
      return against(test.test) === 0;
    case 'lt':
      return (against(test.test) ?? 0) < 0;
    case 'gt':
      return (against(test.test) ?? 0) > 0;
    case 'lte': {
      const c = against(test.test);
      return c !== null && c <= 0;
    }
    case 'gte': {
      const c = against(test.test);
      return c !== null && c >= 0;
    }
    default:
      return false;
  }
}

/**
 * Categorizes a value with a question's rules (spec §11.3): the first passing rule's category, else "Other".
 * @param rules stored rules in order.
 * @param value a number, a numeric string, or anything else (which is "Other").
 * @returns the category name.
 */
export function categorize(rules: StoredRule[], value: unknown): string {
  for (const rule of rules) {
    if (testPasses(rule.test, value)) return reduceCategory(rule.category) ?? OTHER;
  }
  return OTHER;
}

/**
 * Guesses a question's type from its stored rules (spec §11.4); only used while an admin has not chosen one.
 * @param rules stored rules.
 * @returns open, numeric or multiple_choice.
 */
export function guessType(rules: StoredRule[]): QuestionTypeName {
  if (rules.length === 0) return 'open';
  return rules.every((rule) => NUMERIC_TYPES.has(rule.test.type)) ? 'numeric' : 'multiple_choice';
}

/**
 * Lists every category of a question for legends and colours (spec §11.5): rule categories in
 * order, then other answer categories alphabetically, "Other" last.
 * @param rules stored rules.
 * @param answerCategories categories seen in answers, when known.
 * @returns distinct category names ending with "Other".
 */
export function allCategories(rules: StoredRule[], answerCategories?: Iterable<string | null>): string[] {
  const list: string[] = [];
  for (const rule of rules) {
    const name = reduceCategory(rule.category);
    if (name !== null && !list.includes(name)) list.push(name);
  }
  if (answerCategories) {
    const extra = [...new Set(answerCategories)].filter((c): c is string => c !== null && c !== '' && !list.includes(c));
    list.push(...extra.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return [...list.filter((c) => c !== OTHER), OTHER];
}

/**
 * Compares category names naturally (spec §11.6): alternating text and digit chunks, digits as
 * integers, text case-insensitively; null first.
 * @returns negative, zero or positive.
 */
export function naturalCompare(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  // Splitting on a captured digit run puts text at even and digits at odd positions.
  const x = a.split(/(\d+)/);
  const y = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i]!;
    const q = y[i]!;
    const order = i % 2 === 1 ? compareDigits(p, q) : compareText(p.toLowerCase(), q.toLowerCase());
    if (order !== 0) return order;
  }
  return x.length - y.length;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  return x.length !== y.length ? x.length - y.length : compareText(x, y);
}

/**
 * Sorts category names naturally (spec §11.6).
 * @param names names, possibly null.
 * @returns a sorted copy.
 */
export function naturalSort<T extends string | null>(names: Iterable<T>): T[] {
  return [...names].sort(naturalCompare);
}
