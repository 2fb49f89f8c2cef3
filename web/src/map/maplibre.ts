import 'maplibre-gl/dist/maplibre-gl.css';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

// Bundlers rewrite import.meta.url, so MapLibre cannot find its worker next to itself; point it
// at the copy Vite emits. Every map in the console imports MapLibre through this module.
maplibregl.setWorkerUrl(workerUrl);

export { maplibregl };
