export { GEO_DATA_FILE } from './data-file.ts';
export { DEFAULT_TOLERANCE_KM, loadGeography, openGeography } from './geography.ts';
export { normalizeName } from './normalize.ts';
export type {
  AreaGeometry,
  BBox,
  Country,
  Geography,
  Place,
  PointOptions,
  Region,
  SearchOptions,
} from './types.ts';
