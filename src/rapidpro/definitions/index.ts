export * from './types.js';
export { resultKey } from './resultKey.js';
export { categoriseNumber, inferKind, isNumericTest, parseNumericValue } from './inference.js';
export { definitionFormat, questionsOfExport, questionsOfFlow, type DefinitionFormat } from './extract.js';
export { DefinitionsExportSchema, GoFlowSchema, LegacyFlowSchema, type GoFlow, type LegacyFlow } from './schemas.js';
