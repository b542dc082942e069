// What the shell needs from the recipe engine, the recorder and the VIP reader, as one module the
// controller imports on first use (src/ui/controller.ts, `recipeOps`): together they pull in zod
// and yaml, which would otherwise be compiled before the shell's first frame for commands (:plan,
// :apply, :vip, :record, :recipe) most sessions never type.
export { FAILED_STATUSES, findRecipe, listRecipes as listRecipeFiles, parseSets, renderAll } from '../recipe/index.js';
export { prepareRun } from '../recipe/prepare.js';
export { applyRun, detailOf, runOutcomeOf } from '../recipe/apply-run.js';
export { planLines } from '../recipe/plan-view.js';
export { writeRecipe, listRecipes } from './recorder.js';
export { readHostFacts, readRouterFacts, vipsToAsk } from '../vip/read.js';
export { renderVipViews, vipViews } from '../vip/status.js';
