import { hasDynamicThresholds, inferKind } from './inference.js';
import { resultKey } from './resultKey.js';
import type { GoFlow, GoNode } from './schemas.js';
import type { Question } from './types.js';

type Draft = Omit<Question, 'order' | 'nodeUuids'>;

function promptFor(node: GoNode, nodes: GoNode[]): string | null {
  const own = [...node.actions].reverse().find((action) => action.type === 'send_msg' && action.text);
  if (own?.text) return own.text;
  const linking = nodes.find((other) => other.exits.some((exit) => exit.destination_uuid === node.uuid));
  const linked = linking ? [...linking.actions].reverse().find((a) => a.type === 'send_msg' && a.text) : undefined;
  return linked?.text ?? null;
}

function draftFromNode(flow: GoFlow, node: GoNode): Draft | null {
  const router = node.router;
  const resultName = router?.result_name?.trim();
  if (!router || !resultName) return null;
  const categoryName = new Map(router.categories.map((category) => [category.uuid, category.name]));
  const rules = (router.cases ?? []).map((entry) => ({
    test: entry.type,
    args: entry.arguments,
    category: categoryName.get(entry.category_uuid) ?? '',
  }));
  const timeoutUuid = router.wait?.timeout?.category_uuid;
  return {
    flowUuid: flow.uuid,
    nodeUuid: node.uuid,
    key: resultKey(router.result_name ?? ''),
    name: router.result_name ?? '',
    kind: inferKind(rules),
    rules,
    categories: router.categories.map((category) => category.name),
    defaultCategory: (router.default_category_uuid && categoryName.get(router.default_category_uuid)) || null,
    timeoutCategory: (timeoutUuid && categoryName.get(timeoutUuid)) || null,
    dynamicThresholds: hasDynamicThresholds(rules),
    prompt: promptFor(node, flow.nodes),
  };
}

/**
 * Extracts question drafts from a goflow definition, one per node with a result name, in node order.
 * @param flow a parsed goflow definition.
 * @returns drafts (merged by key later).
 */
export function goflowQuestionDrafts(flow: GoFlow): Draft[] {
  return flow.nodes.map((node) => draftFromNode(flow, node)).filter((draft): draft is Draft => draft !== null);
}

export type { Draft as QuestionDraft };
