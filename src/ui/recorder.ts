// Writes a recording (what was broadcast, per daemon) as a minimal recipe YAML in the config dir.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { configDir } from '../fleet/settings.js';
import type { Recording } from './state.js';

export function recipesDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = join(configDir(env), 'recipes');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export function recipeYaml(rec: Recording, meta: { hosts: string; when: Date }): string {
  const doc = {
    name: rec.name,
    description: `recorded in the vtymux shell on ${meta.when.toISOString()} (hosts: ${meta.hosts})`,
    steps: rec.steps.map((s) => ({ daemon: s.daemon, ...(s.context.length ? { context: [...s.context] } : {}), lines: [...s.lines] })),
  };
  return stringify(doc, { lineWidth: 0 });
}

/** Writes NAME.yaml (0600); an existing recipe is kept and the new one gets a numbered name. */
export function writeRecipe(rec: Recording, meta: { hosts: string; when: Date }, env: NodeJS.ProcessEnv = process.env): string {
  const dir = recipesDir(env);
  let path = join(dir, `${rec.name}.yaml`);
  for (let i = 2; existsSync(path); i++) path = join(dir, `${rec.name}-${i}.yaml`);
  writeFileSync(path, recipeYaml(rec, meta), { mode: 0o600, flag: 'wx' });
  return path;
}

export function listRecipes(env: NodeJS.ProcessEnv = process.env): string[] {
  return readdirSync(recipesDir(env))
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
}
