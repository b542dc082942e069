// Picks the catalog behind the shell's CatalogPort: the command catalogs (src/catalog), else the built-in fallback list.
import type { SuiteInfo } from '../protocol/types.js';
import { catalogPort } from './catalog-adapter.js';
import { fallbackCatalog, type CatalogPort } from './catalog-port.js';

export function loadCatalogPort(suites: () => SuiteInfo[]): { port: CatalogPort; warning: string | null } {
  try {
    const port = catalogPort(suites);
    void port.source; // loads the default set now, so a broken completions/ shows up at startup
    return { port, warning: null };
  } catch (e) {
    return { port: fallbackCatalog(), warning: `command catalog unavailable (${(e as Error).message}); Tab and ? use a built-in list` };
  }
}
