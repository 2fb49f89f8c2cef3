export { GEO_DATA_FILE } from './data-file.ts';
export { loadGeography, openGeography } from './geography.ts';
export { normalizeName } from './normalize.ts';
export type { AreaGeometry, BBox, Country, Geography, Place, Region, SearchOptions } from './types.ts';
