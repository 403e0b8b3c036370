import { goflowQuestionDrafts, type QuestionDraft } from './goflow.js';
import { legacyQuestionDrafts } from './legacy.js';
import { DefinitionsExportSchema, GoFlowSchema, LegacyFlowSchema } from './schemas.js';
import type { Question } from './types.js';

/** Which format a flow object is in. */
export type DefinitionFormat = 'goflow' | 'legacy';

/**
 * Tells a flow object's format: goflow has `nodes` and `spec_version`, legacy has `rule_sets`.
 * @returns the format, or null for something that is neither.
 */
export function definitionFormat(flow: Record<string, unknown>): DefinitionFormat | null {
  if (Array.isArray(flow.nodes) && flow.spec_version !== undefined) return 'goflow';
  if (Array.isArray(flow.rule_sets)) return 'legacy';
  return null;
}

function merge(drafts: QuestionDraft[]): Question[] {
  const byKey = new Map<string, Question>();
  for (const draft of drafts) {
    const existing = byKey.get(draft.key);
    if (existing) {
      // Several nodes writing one result are one question: first node is the id, all are accepted.
      existing.nodeUuids.push(draft.nodeUuid);
      for (const category of draft.categories) {
        if (!existing.categories.includes(category)) existing.categories.push(category);
      }
      continue;
    }
    byKey.set(draft.key, { ...draft, nodeUuids: [draft.nodeUuid], order: byKey.size });
  }
  return [...byKey.values()];
}

/**
 * Extracts the questions of one flow object of either format.
 * @param flow one element of `definitions.json` `flows`.
 * @returns the flow uuid, name and questions in order.
 * @throws ZodError when the object matches neither format.
 */
export function questionsOfFlow(flow: Record<string, unknown>): { uuid: string; name: string; questions: Question[] } {
  if (definitionFormat(flow) === 'goflow') {
    const parsed = GoFlowSchema.parse(flow);
    return { uuid: parsed.uuid, name: parsed.name, questions: merge(goflowQuestionDrafts(parsed)) };
  }
  const parsed = LegacyFlowSchema.parse(flow);
  const uuid = parsed.metadata?.uuid ?? parsed.uuid ?? '';
  const name = parsed.metadata?.name ?? parsed.name ?? '';
  return { uuid, name, questions: merge(legacyQuestionDrafts(parsed)) };
}

/**
 * Extracts the questions of every flow in a `definitions.json` export (formats may be mixed).
 * @param body the parsed JSON body.
 * @returns a map from flow uuid to its questions.
 */
export function questionsOfExport(body: unknown): Map<string, { name: string; questions: Question[] }> {
  const parsed = DefinitionsExportSchema.parse(body);
  const result = new Map<string, { name: string; questions: Question[] }>();
  for (const flow of parsed.flows) {
    const { uuid, name, questions } = questionsOfFlow(flow);
    result.set(uuid, { name, questions });
  }
  return result;
}
