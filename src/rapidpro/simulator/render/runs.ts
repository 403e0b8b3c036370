import { resultKey } from '../../definitions/resultKey.js';
import { isoMicros } from '../time.js';
import type { Workspace } from '../world/workspace.js';

/**
 * Renders one run as of a virtual instant in the read shape of spec §5.8.
 * @param withPaths false ⇒ `path: null`, as `paths=false` asks.
 * @returns the JSON object.
 */
export function runJson(ws: Workspace, r: number, nowUs: number, withPaths: boolean): Record<string, unknown> {
  const runs = ws.runs;
  const legacy = ws.config.variant === 'legacy2019';
  const start = ws.starts[runs.start[r]!]!;
  const flow = ws.flows[start.flowIndex]!;
  const contact = runs.contact[r]!;
  const timeline = runs.timeline(r);
  const values: Record<string, unknown> = {};
  const path: { node: string; time: string }[] = [];
  let responded = false;
  for (const step of timeline.steps) {
    if (step.promptUs > nowUs) break;
    path.push({ node: step.question.nodeUuid, time: isoMicros(step.promptUs) });
    const answer = step.answer;
    if (!answer || answer.atUs > nowUs) continue;
    if (!answer.timedOut) responded = true;
    values[resultKey(step.question.resultName)] = {
      name: step.question.resultName,
      value: answer.value,
      category: answer.category,
      node: step.question.nodeUuid,
      time: isoMicros(answer.atUs),
      ...(legacy ? { input: answer.input } : {}),
    };
  }
  const exited = timeline.exitUs <= nowUs;
  const urn = ws.contacts.urns(contact)[0] ?? null;
  return {
    uuid: runs.uuid(r),
    id: r + 1,
    flow: { uuid: flow.uuid, name: flow.name },
    contact: { uuid: ws.contacts.uuid(contact), name: ws.contacts.name(contact), urn: ws.config.anon ? null : urn },
    start: start.keyword ? null : { uuid: start.uuid },
    responded,
    path: withPaths ? path : null,
    values,
    created_on: isoMicros(runs.createdOf(r)),
    modified_on: isoMicros(runs.modified[r]!),
    exited_on: exited ? isoMicros(timeline.exitUs) : null,
    exit_type: exited ? timeline.exitType : null,
  };
}
