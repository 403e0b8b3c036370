import { questionsOfFlow } from '../../definitions/extract.js';
import type { Question } from '../../definitions/types.js';
import { hash, Stream, uuidFor } from '../random.js';
import { US_PER_DAY } from '../time.js';

/** What the answer model needs to know about one question. */
export interface QuestionSpec {
  kind: 'numeric' | 'categorical' | 'open';
  nodeUuid: string;
  resultName: string;
  prompt: string;
  /** Numeric cases as [test, args, category]. */
  cases: { type: string; args: string[]; category: string }[];
  defaultCategory: string;
  timeoutCategory: string | null;
}

/** A generated flow: its list-row facts, its goflow definition and the derived questions. */
export interface FlowSpec {
  uuid: string;
  name: string;
  type: 'message' | 'background' | 'survey' | 'voice';
  archived: boolean;
  expiresMinutes: number;
  createdUs: number;
  modifiedUs: number;
  /** Whether weekly poll starts use this flow. */
  poll: boolean;
  /** Whether contacts trigger it by keyword (runs without a start). */
  keyword: boolean;
  questions: QuestionSpec[];
  definition: Record<string, unknown>;
  /** Questions extracted from `definition` with the client's own extractor. */
  extracted: Question[];
  labels: { uuid: string; name: string }[];
}

type Draft = Omit<FlowSpec, 'uuid' | 'definition' | 'extracted' | 'createdUs' | 'modifiedUs' | 'labels'> & { finalMessage?: string };

const numeric = (name: string, prompt: string, bands: [number, number][], top: number): QuestionSpec => ({
  kind: 'numeric',
  nodeUuid: '',
  resultName: name,
  prompt,
  cases: [
    ...bands.map(([a, b]) => ({ type: 'has_number_between', args: [String(a), String(b)], category: `${a}-${b}` })),
    { type: 'has_number_gt', args: [String(top)], category: `${top}+` },
  ],
  defaultCategory: 'Other',
  timeoutCategory: 'No Response',
});

const categorical = (name: string, prompt: string): QuestionSpec => ({
  kind: 'categorical',
  nodeUuid: '',
  resultName: name,
  prompt,
  cases: [
    { type: 'has_any_word', args: ['yes y ok'], category: 'Yes' },
    { type: 'has_any_word', args: ['no n broken'], category: 'No' },
  ],
  defaultCategory: 'Other',
  timeoutCategory: null,
});

const open = (name: string, prompt: string): QuestionSpec => ({
  kind: 'open', nodeUuid: '', resultName: name, prompt, cases: [], defaultCategory: 'All Responses', timeoutCategory: null,
});

function drafts(seed: number): Draft[] {
  const base: Draft[] = [
    { name: 'Attendance', type: 'message', archived: false, expiresMinutes: 4320, poll: true, keyword: false, questions: [numeric('Pupils', 'How many pupils attended today?', [[0, 50], [51, 100]], 100)] },
    { name: 'Water Point', type: 'message', archived: false, expiresMinutes: 4320, poll: true, keyword: false, questions: [categorical('Working', 'Is the water point working?')] },
    { name: 'Feedback', type: 'message', archived: false, expiresMinutes: 1440, poll: false, keyword: true, questions: [open('Comments', 'Any comments?')] },
    {
      name: 'Weekly School Poll', type: 'message', archived: false, expiresMinutes: 4320, poll: true, keyword: false, finalMessage: 'Thank you!',
      questions: [numeric('Pupils Present', 'How many pupils attended today?', [[0, 50], [51, 100]], 100), categorical('Water Working', 'Is the water point working?'), open('Comments', 'Any comments?')],
    },
    { name: 'Single Message Reminder', type: 'message', archived: false, expiresMinutes: 720, poll: false, keyword: false, questions: [], finalMessage: 'Reminder: the poll closes on Friday.' },
    { name: 'Old Registration', type: 'message', archived: true, expiresMinutes: 720, poll: false, keyword: false, questions: [open('Name', 'What is your name?')] },
    { name: 'Color Check', type: 'message', archived: false, expiresMinutes: 4320, poll: true, keyword: false, questions: [categorical('Color', 'Is the classroom painted?'), categorical('Color', 'Is it painted now?')] },
  ];
  const extra = 1 + (hash(seed, Stream.flow, 0, 1) % 2);
  for (let v = 0; v < extra; v++) {
    const step = 5 + (hash(seed, Stream.flow, v, 2) % 10);
    base.push({
      name: `Teachers Present ${v + 1}`, type: 'message', archived: false, expiresMinutes: 2880, poll: true, keyword: false,
      questions: [numeric('Teachers', 'How many teachers came today?', [[0, step], [step + 1, step * 2]], step * 2)],
    });
  }
  return base;
}

function buildDefinition(seed: number, flowIndex: number, uuid: string, draft: Draft): { definition: Record<string, unknown>; questions: QuestionSpec[] } {
  let counter = 0;
  const id = (): string => uuidFor(seed, Stream.node, flowIndex * 1000 + counter++);
  const questions = draft.questions.map((q) => ({ ...q, nodeUuid: id() }));
  const finalNode = draft.finalMessage ? id() : null;
  const nodes = questions.map((q, i) => {
    const next = questions[i + 1]?.nodeUuid ?? finalNode;
    const categories = [...new Set([...q.cases.map((c) => c.category), q.defaultCategory, ...(q.timeoutCategory ? [q.timeoutCategory] : [])])].map((name) => ({
      uuid: id(), name, exit_uuid: id(),
    }));
    const catUuid = (name: string): string => categories.find((c) => c.name === name)!.uuid;
    const exits = categories.map((c) => ({ uuid: c.exit_uuid, destination_uuid: next }));
    return {
      uuid: q.nodeUuid,
      actions: [{ type: 'send_msg', uuid: id(), text: q.prompt, attachments: [], quick_replies: [] }],
      router: {
        type: 'switch',
        operand: '@input.text',
        result_name: q.resultName,
        wait: { type: 'msg', ...(q.timeoutCategory ? { timeout: { seconds: 43200, category_uuid: catUuid(q.timeoutCategory) } } : {}) },
        cases: q.cases.map((c) => ({ uuid: id(), type: c.type, arguments: c.args, category_uuid: catUuid(c.category) })),
        categories,
        default_category_uuid: catUuid(q.defaultCategory),
      },
      exits,
    };
  });
  if (finalNode) {
    nodes.push({ uuid: finalNode, actions: [{ type: 'send_msg', uuid: id(), text: draft.finalMessage!, attachments: [], quick_replies: [] }], exits: [{ uuid: id(), destination_uuid: null }] } as never);
  }
  const definition = {
    uuid, name: draft.name, spec_version: '13.1.0', language: 'eng', type: 'messaging', revision: 1,
    expire_after_minutes: draft.expiresMinutes, localization: {}, nodes,
  };
  return { definition, questions };
}

/**
 * Generates the flows of a workspace: the kinds listed in spec §10.2 plus seeded variations.
 * @param seed workspace seed.
 * @param historyStartUs first instant of the generated history.
 * @param labels flow labels to attach.
 */
export function generateFlows(seed: number, historyStartUs: number, labels: { uuid: string; name: string }[]): FlowSpec[] {
  return drafts(seed).map((draft, i) => {
    const uuid = uuidFor(seed, Stream.flow, i);
    const { definition, questions } = buildDefinition(seed, i, uuid, draft);
    const createdUs = historyStartUs - US_PER_DAY * (10 + i) - (hash(seed, Stream.flow, i, 3) % 1_000_000);
    const { finalMessage: _unused, ...rest } = draft;
    return {
      ...rest,
      uuid,
      questions,
      definition,
      extracted: questionsOfFlow(definition).questions,
      createdUs,
      modifiedUs: createdUs + US_PER_DAY,
      labels: i % 3 === 0 && labels[0] ? [labels[0]] : [],
    };
  });
}
