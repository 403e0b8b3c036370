import { hasDynamicThresholds, inferKind } from './inference.js';
import type { QuestionDraft } from './goflow.js';
import { resultKey } from './resultKey.js';
import type { LegacyFlow, LegacyTest } from './schemas.js';
import type { QuestionRule } from './types.js';

const RENAMED_TESTS: Record<string, string> = {
  number: 'has_number',
  eq: 'has_number_eq',
  lt: 'has_number_lt',
  lte: 'has_number_lte',
  gt: 'has_number_gt',
  gte: 'has_number_gte',
  between: 'has_number_between',
  contains_any: 'has_any_word',
  contains: 'has_all_words',
  contains_phrase: 'has_phrase',
  contains_only_phrase: 'has_only_phrase',
  starts: 'has_beginning',
  regex: 'has_pattern',
  not_empty: 'has_text',
  date: 'has_date',
  date_before: 'has_date_lt',
  date_equal: 'has_date_eq',
  date_after: 'has_date_gt',
  state: 'has_state',
  district: 'has_district',
  ward: 'has_ward',
  phone: 'has_phone',
  has_email: 'has_email',
  in_group: 'has_group',
};

/**
 * Reads a translatable legacy value: the base language, else `base`, else the first entry.
 * @returns the text in the base language.
 */
export function translated(value: string | Record<string, string> | null | undefined, baseLanguage: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return value[baseLanguage] ?? value.base ?? Object.values(value)[0] ?? '';
}

function argsOf(test: LegacyTest, baseLanguage: string): string[] {
  if (test.type === 'between') return [String(test.min ?? ''), String(test.max ?? '')];
  const raw = test.test;
  if (raw === undefined || raw === null || test.type === 'number') return [];
  if (typeof raw === 'object') return [translated(raw as Record<string, string>, baseLanguage)];
  return [String(raw)];
}

/**
 * Extracts question drafts from a legacy definition, one per rule set, in rule-set order.
 * @param flow a parsed legacy definition.
 * @returns drafts (merged by key later).
 */
export function legacyQuestionDrafts(flow: LegacyFlow): QuestionDraft[] {
  const flowUuid = flow.metadata?.uuid ?? flow.uuid ?? '';
  const base = flow.base_language ?? 'base';
  return flow.rule_sets.map((ruleSet) => {
    const rules: QuestionRule[] = [];
    const categories: string[] = [];
    let defaultCategory: string | null = null;
    let timeoutCategory: string | null = null;
    for (const rule of ruleSet.rules) {
      const category = translated(rule.category, base);
      if (!categories.includes(category)) categories.push(category);
      if (rule.test.type === 'true') defaultCategory = category;
      else if (rule.test.type === 'timeout') timeoutCategory = category;
      else rules.push({ test: RENAMED_TESTS[rule.test.type] ?? rule.test.type, args: argsOf(rule.test, base), category });
    }
    const prompt = flow.action_sets
      .filter((set) => set.destination === ruleSet.uuid)
      .flatMap((set) => set.actions.filter((action) => action.msg))
      .map((action) => translated(action.msg, base))
      .at(-1);
    const name = ruleSet.label ?? '';
    return {
      flowUuid,
      nodeUuid: ruleSet.uuid,
      key: resultKey(name),
      name,
      kind: inferKind(rules),
      rules,
      categories,
      defaultCategory,
      timeoutCategory,
      dynamicThresholds: hasDynamicThresholds(rules),
      prompt: prompt ?? null,
    };
  });
}
