// The catalog API other layers (router, TUI, recipes) import: load a set, then ask about lines.
export { loadCatalogSet, catalogSetOf, pickCatalog, availableCatalogs, compareVersions, CatalogError, COMPLETIONS_DIR } from './load.js';
export type { CheckOptions } from './query.js';
export { validateLine, completeLine, helpLine, ownersOf, nextMode, fallbackChain, matchInNode, splitWords, isConfigNode } from './query.js';
export { parseSyntax, classifyWord, CatalogSyntaxError } from './syntax.js';
export type { Grammar, SyntaxNode, SyntaxToken, TokenKind } from './syntax.js';
export { buildCatalog, serializeCatalog, catalogPath, listLines } from './build.js';
export type { Exchange } from './build.js';
export { exchangesFromTranscript, catalogsFromFixtures } from './fixture-log.js';
export type { CatalogSet, CatalogNode, DaemonCatalog, Transition, LineCheck, LineOk, LineError, LineProblem, Completion, HelpItem } from './types.js';
export { planHost, pruneIdleDaemons, daemonsOf } from './plan.js';
export type { HostPlan, PlannedLine, PlannedSend } from './plan.js';
