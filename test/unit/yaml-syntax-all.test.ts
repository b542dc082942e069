// Every YAML data file (inventory, recipe, guard config) reads through src/yaml/document.ts, so a
// missing `}` is reported on the line where it is missing in all three, not where the parser gave up.
import { describe, expect, it } from 'vitest';
import { parseInventory } from '../../src/fleet/inventory.js';
import { parseRecipe } from '../../src/recipe/schema.js';
import { parseGuardConfig } from '../../src/guard/config.js';

const message = (fn: () => unknown) => {
  try {
    fn();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
};

describe('YAML syntax errors point at the line of the mistake', () => {
  it('inventory, recipe and guard config alike', () => {
    const inv = 'hosts:\n  a: { address: 198.51.100.1\n  b: { address: 198.51.100.2 }\n';
    const recipe = 'name: x\nparams:\n  vip: { type: ipv4\nsteps: []\n';
    const guard = 'services:\n  web:\n    check: { http: "http://{{address}}/"\n    vip: 192.0.2.1\n';
    expect(message(() => parseInventory(inv, 'inv.yaml'))).toMatch(/inv\.yaml:2:\d+.*YAML syntax/);
    expect(message(() => parseRecipe(recipe, 'r.yaml'))).toMatch(/r\.yaml:3:\d+.*YAML syntax/);
    expect(message(() => parseGuardConfig(guard, 'g.yaml'))).toMatch(/g\.yaml:3:\d+.*YAML syntax/);
  });
});
