import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The code a worker thread evaluates to run a TypeScript module: the sources run through tsx (no
 * build step), so the worker registers tsx's loader before it imports the module. Null when that
 * loader cannot be found; the caller then does the work on its own thread.
 */
export function workerBootstrap(moduleUrl: URL): string | null {
  try {
    const api = createRequire(import.meta.url).resolve('tsx/esm/api');
    const esm = path.join(path.dirname(api), 'index.mjs');
    if (!existsSync(esm)) return null;
    return `import(${JSON.stringify(pathToFileURL(esm).href)}).then((m) => { m.register(); return import(${JSON.stringify(moduleUrl.href)}); });`;
  } catch {
    return null;
  }
}
