import { mix32 } from '../random.js';

/** Goflow test → legacy test builder; the inverse of the client's legacy renaming table. */
const LEGACY_TESTS: Record<string, (args: string[], lang: string) => Record<string, unknown>> = {
  has_number: () => ({ type: 'number' }),
  has_number_eq: (a) => ({ type: 'eq', test: a[0] }),
  has_number_lt: (a) => ({ type: 'lt', test: a[0] }),
  has_number_lte: (a) => ({ type: 'lte', test: a[0] }),
  has_number_gt: (a) => ({ type: 'gt', test: a[0] }),
  has_number_gte: (a) => ({ type: 'gte', test: a[0] }),
  has_number_between: (a) => ({ type: 'between', min: a[0], max: a[1] }),
  has_any_word: (a, lang) => ({ type: 'contains_any', test: { [lang]: a[0] } }),
  has_all_words: (a, lang) => ({ type: 'contains', test: { [lang]: a[0] } }),
  has_phrase: (a, lang) => ({ type: 'contains_phrase', test: { [lang]: a[0] } }),
  has_beginning: (a, lang) => ({ type: 'starts', test: { [lang]: a[0] } }),
  has_text: () => ({ type: 'not_empty' }),
};

interface GoNodeLike {
  uuid: string;
  actions: { type: string; text?: string }[];
  router?: {
    result_name?: string;
    wait?: { timeout?: { seconds: number; category_uuid: string } };
    cases: { uuid: string; type: string; arguments: string[]; category_uuid: string }[];
    categories: { uuid: string; name: string; exit_uuid: string }[];
    default_category_uuid?: string;
  };
  exits: { uuid: string; destination_uuid: string | null }[];
}

function derivedUuid(uuid: string, salt: number): string {
  const word = (mix32(Number.parseInt(uuid.slice(0, 8), 16) ^ salt) >>> 0).toString(16).padStart(8, '0');
  return `${word}${uuid.slice(8)}`;
}

/**
 * Converts a generated goflow definition into the legacy (rule_sets/action_sets) form, losslessly
 * for what the dashboard reads: rule-set uuids equal node uuids, prompts become reply action sets.
 * @param flow a goflow definition made by the simulator.
 * @returns the legacy definition object.
 */
export function toLegacyDefinition(flow: { uuid: string; name: string; language: string; nodes: GoNodeLike[]; expire_after_minutes?: number }): Record<string, unknown> {
  const lang = flow.language;
  const actionSets: Record<string, unknown>[] = [];
  const ruleSets: Record<string, unknown>[] = [];
  const entryOf = (node: GoNodeLike | undefined): string | null => {
    if (!node) return null;
    const sends = node.actions.filter((a) => a.type === 'send_msg');
    return sends.length > 0 ? derivedUuid(node.uuid, 1) : node.uuid;
  };
  const byUuid = new Map(flow.nodes.map((node) => [node.uuid, node]));
  for (const node of flow.nodes) {
    const sends = node.actions.filter((a) => a.type === 'send_msg');
    const router = node.router;
    if (sends.length > 0) {
      const onward = router ? node.uuid : entryOf(byUuid.get(node.exits[0]?.destination_uuid ?? ''));
      actionSets.push({
        uuid: derivedUuid(node.uuid, 1),
        x: 100, y: actionSets.length * 200,
        destination: onward,
        actions: sends.map((a) => ({ type: 'reply', msg: { [lang]: a.text ?? '' } })),
      });
    }
    if (!router) continue;
    const categoryName = new Map(router.categories.map((c) => [c.uuid, c.name]));
    const exitOf = (categoryUuid: string): string | null => {
      const exitUuid = router.categories.find((c) => c.uuid === categoryUuid)?.exit_uuid;
      return entryOf(byUuid.get(node.exits.find((e) => e.uuid === exitUuid)?.destination_uuid ?? ''));
    };
    const rules: Record<string, unknown>[] = router.cases.map((c) => ({
      uuid: c.uuid,
      category: { [lang]: categoryName.get(c.category_uuid) },
      destination: exitOf(c.category_uuid),
      test: (LEGACY_TESTS[c.type] ?? ((args: string[]) => ({ type: c.type, test: args[0] })))(c.arguments, lang),
    }));
    if (router.default_category_uuid) {
      rules.push({ uuid: derivedUuid(router.default_category_uuid, 2), category: { [lang]: categoryName.get(router.default_category_uuid) }, destination: exitOf(router.default_category_uuid), test: { type: 'true' } });
    }
    const timeout = router.wait?.timeout;
    if (timeout) {
      rules.push({ uuid: derivedUuid(timeout.category_uuid, 3), category: { [lang]: categoryName.get(timeout.category_uuid) }, destination: exitOf(timeout.category_uuid), test: { type: 'timeout', minutes: Math.round(timeout.seconds / 60) } });
    }
    ruleSets.push({ uuid: node.uuid, x: 100, y: ruleSets.length * 200 + 100, label: router.result_name ?? '', ruleset_type: 'wait_message', operand: '@step.value', rules, config: {} });
  }
  return {
    version: '11.12',
    flow_type: 'M',
    base_language: lang,
    entry: entryOf(flow.nodes[0]),
    metadata: { uuid: flow.uuid, name: flow.name, revision: 1, expires: flow.expire_after_minutes ?? 10080 },
    action_sets: actionSets,
    rule_sets: ruleSets,
  };
}
