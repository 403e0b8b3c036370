import { z } from 'zod';

/** Zod shapes of the parts of flow definitions the dashboard reads (spec §8.2, §8.3). */

const goCase = z.object({
  uuid: z.string(),
  type: z.string(),
  arguments: z.array(z.string()).default([]),
  category_uuid: z.string(),
});

const goRouter = z.object({
  type: z.string(),
  result_name: z.string().nullish(),
  wait: z
    .object({
      type: z.string(),
      timeout: z.object({ seconds: z.number(), category_uuid: z.string() }).nullish(),
    })
    .nullish(),
  operand: z.string().nullish(),
  cases: z.array(goCase).nullish(),
  categories: z.array(z.object({ uuid: z.string(), name: z.string(), exit_uuid: z.string().nullish() })),
  default_category_uuid: z.string().nullish(),
});

/** A node of a goflow definition. */
export const GoNodeSchema = z.object({
  uuid: z.string(),
  actions: z.array(z.looseObject({ type: z.string(), text: z.string().nullish() })).default([]),
  router: goRouter.nullish(),
  exits: z.array(z.object({ uuid: z.string(), destination_uuid: z.string().nullish() })).default([]),
});

/** A flow in the new (goflow) format. */
export const GoFlowSchema = z.object({
  uuid: z.string(),
  name: z.string(),
  spec_version: z.string(),
  language: z.string().default('und'),
  type: z.string().optional(),
  nodes: z.array(GoNodeSchema),
  localization: z.record(z.string(), z.record(z.string(), z.unknown())).nullish(),
});

const translatable = z.union([z.string(), z.record(z.string(), z.string())]);

const legacyRule = z.object({
  uuid: z.string().nullish(),
  category: translatable,
  destination: z.string().nullish(),
  test: z.looseObject({ type: z.string() }),
});

/** A flow in the legacy (rule_sets/action_sets) format. */
export const LegacyFlowSchema = z.object({
  metadata: z.looseObject({ uuid: z.string().optional(), name: z.string().optional() }).nullish(),
  uuid: z.string().optional(),
  name: z.string().optional(),
  version: z.union([z.string(), z.number()]).optional(),
  base_language: z.string().nullish(),
  action_sets: z
    .array(
      z.object({
        uuid: z.string(),
        destination: z.string().nullish(),
        actions: z.array(z.looseObject({ type: z.string(), msg: translatable.nullish() })).default([]),
      }),
    )
    .default([]),
  rule_sets: z.array(
    z.object({
      uuid: z.string(),
      label: z.string().nullish(),
      ruleset_type: z.string().nullish(),
      operand: z.string().nullish(),
      rules: z.array(legacyRule).default([]),
    }),
  ),
});

/** The envelope of `definitions.json`; flows are told apart per object. */
export const DefinitionsExportSchema = z.object({
  version: z.union([z.string(), z.number()]),
  site: z.string().nullish(),
  flows: z.array(z.looseObject({})),
  campaigns: z.array(z.unknown()).default([]),
  triggers: z.array(z.unknown()).default([]),
});

export type GoFlow = z.infer<typeof GoFlowSchema>;
export type GoNode = z.infer<typeof GoNodeSchema>;
export type LegacyFlow = z.infer<typeof LegacyFlowSchema>;
export type LegacyTest = LegacyFlow['rule_sets'][number]['rules'][number]['test'];
export type DefinitionsExport = z.infer<typeof DefinitionsExportSchema>;
