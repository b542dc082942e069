// Public surface of the pure aggregation layer: folding, sanitizing, normalizing, gathering, diffing, rendering.
export { foldHosts, naturalCompare } from './fold.js';
export { sanitizeForTerminal, sanitizeLabel } from './sanitize.js';
export {
  applyMask,
  compileMasks,
  DEFAULT_MASKS,
  MaskDataError,
  normalizedKey,
  normalizeOutput,
  type MaskAlign,
  type MaskDocument,
  type MaskRule,
  type MaskTemplate,
  type MaskSpec,
} from './normalize.js';
export {
  gather,
  hasUsableOutput,
  type CommandView,
  type FailureGroup,
  type GatheredView,
  type GatherOptions,
  type GatherTotals,
  type OutputGroup,
} from './gather.js';
export { identitiesOf, identityApplies, maskIdentity, ADDR_MASK, HOST_MASK, type HostIdentity, type MaskedIdentity } from './identity.js';
export {
  baselineOf,
  commandDiffs,
  diffLines,
  groupDiffLabel,
  majorityDiffs,
  unifiedDiff,
  type BaselineBasis,
  type BaselineOptions,
  type CommandDiffs,
  type Edit,
  type EditKind,
  type GroupDiff,
  type UnifiedDiffOptions,
} from './diff.js';
export {
  renderGathered,
  renderGatheredTo,
  renderLines,
  toJsonDocument,
  totalsLine,
  type JsonCommandGroups,
  type JsonDocument,
  type JsonFailure,
  type JsonGroup,
  type JsonResult,
  type LinesOptions,
  type RenderOptions,
} from './render.js';
