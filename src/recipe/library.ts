// Where recipes come from: a path, the user's config directory (recipes/*.yaml), or the built-ins
// shipped in recipes/; a user's recipe of the same name shadows a built-in.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configDir } from '../base/paths.js';
import { closest } from '../base/text.js';
import { RecipeNotFoundError } from './errors.js';
import { parseRecipe, type Recipe } from './schema.js';

/** recipes/ beside src/ and dist/ (both are one level below the package root). */
export function builtinDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'recipes');
}

export function userDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), 'recipes');
}

export interface RecipeEntry {
  name: string;
  aliases: string[];
  description: string;
  origin: 'builtin' | 'user';
  file: string;
  /** Set when the file does not parse; `list` still shows it so the user can fix it. */
  error: string | null;
  recipe: Recipe | null;
}

export function loadRecipeFile(file: string): Recipe {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new RecipeNotFoundError(`${file}: cannot read recipe (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseRecipe(text, file);
}

function scan(dir: string, origin: RecipeEntry['origin']): RecipeEntry[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      try {
        const r = loadRecipeFile(file);
        return { name: r.name, aliases: r.aliases, description: r.description, origin, file, error: null, recipe: r };
      } catch (e) {
        return { name: f.replace(/\.ya?ml$/, ''), aliases: [], description: '', origin, file, error: (e as Error).message, recipe: null };
      }
    });
}

/** Every recipe known by name; user recipes first so they shadow built-ins. */
export function listRecipes(env: NodeJS.ProcessEnv = process.env, dirs = { builtin: builtinDir(), user: userDir(env) }): RecipeEntry[] {
  const user = scan(dirs.user, 'user');
  const seen = new Set(user.map((e) => e.name));
  return [...user, ...scan(dirs.builtin, 'builtin').filter((e) => !seen.has(e.name))];
}

/** A recipe by name or alias, or from a path (anything with a slash or a .yaml ending). */
export function findRecipe(ref: string, env: NodeJS.ProcessEnv = process.env, dirs?: { builtin: string; user: string }): Recipe {
  if (ref.includes('/') || /\.ya?ml$/.test(ref)) return loadRecipeFile(ref);
  const all = listRecipes(env, dirs);
  const hit = all.find((e) => e.name === ref) ?? all.find((e) => e.aliases.includes(ref));
  if (!hit) {
    const hint = closest(ref, all.flatMap((e) => [e.name, ...e.aliases]));
    throw new RecipeNotFoundError(`no recipe '${ref}'${hint ? ` (did you mean '${hint}'?)` : ''}; see \`vtymux recipe list\`, or give a file path`);
  }
  // Parsing again rethrows the original error with its positions.
  return hit.recipe ?? loadRecipeFile(hit.file);
}
