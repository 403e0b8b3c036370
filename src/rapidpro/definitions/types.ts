/** The normalised question model shared by both definition formats (spec §8.4). */

/** Numeric tests whose semantics the dashboard evaluates offline. */
export const NUMERIC_TESTS = [
  'has_number',
  'has_number_eq',
  'has_number_lt',
  'has_number_lte',
  'has_number_gt',
  'has_number_gte',
  'has_number_between',
] as const;

/** One of {@link NUMERIC_TESTS}. */
export type NumericTest = (typeof NUMERIC_TESTS)[number];

/** One routing rule of a question, with its test in the new (goflow) vocabulary. */
export interface QuestionRule {
  /** Test name in the goflow vocabulary, e.g. `has_number_between` or `has_any_word`. */
  test: NumericTest | string;
  /** Test arguments as strings, e.g. `["0", "50"]`. */
  args: string[];
  /** Category name the rule routes to. */
  category: string;
}

/** How a question's answers are summarised. */
export type QuestionKind = 'numeric' | 'categorical' | 'open';

/** A point in a flow that writes a result, i.e. a poll question. */
export interface Question {
  /** Flow the question belongs to. */
  flowUuid: string;
  /** Id of the question: the first node that writes this result. */
  nodeUuid: string;
  /** Every node that writes this result key (several when a result name is reused). */
  nodeUuids: string[];
  /** Snake-cased result name, the key of `run.values`. */
  key: string;
  /** Result name as written in the editor. */
  name: string;
  /** Position among the flow's questions, 0-based. */
  order: number;
  /** Inferred summary type (the user may override it). */
  kind: QuestionKind;
  /** Rules in evaluation order (catch-all and timeout excluded). */
  rules: QuestionRule[];
  /** Distinct category names in editor order, including default and timeout categories. */
  categories: string[];
  /** Category used when no rule matches ("Other", "All Responses"). */
  defaultCategory: string | null;
  /** Category meaning "no answer" ("No Response"). */
  timeoutCategory: string | null;
  /** True when a numeric rule compares against an expression that cannot be evaluated offline. */
  dynamicThresholds: boolean;
  /** Prompt text sent before the question, when it can be found. */
  prompt: string | null;
}
