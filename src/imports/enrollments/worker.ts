import { parentPort, workerData } from 'node:worker_threads';
import { loadGeography } from '../../domain/geo/index.ts';
import { type PersonEnv, type PersonGroup, type PlaceTable, preparePersons } from './person.ts';
import { adoptPlaceIndex, placeCoordinates, type SharedPlaceIndex } from './places.ts';

/*
 * Worker thread of a large enrollment import: checks and seals batches of people (the CPU half
 * of an import) while the main thread reads the file and writes to the store.
 */
const data = workerData as {
  env: Omit<PersonEnv, 'kek' | 'blindKey'> & { kek: Uint8Array; blindKey: Uint8Array };
  places: SharedPlaceIndex;
};
adoptPlaceIndex(data.places);
const env: PersonEnv = {
  ...data.env,
  kek: Buffer.from(data.env.kek),
  blindKey: Buffer.from(data.env.blindKey),
};

// People come and go as JSON strings (see PreparerPool).
parentPort!.on('message', (msg: { id: number; packed: string; places: PlaceTable }) => {
  try {
    const groups = JSON.parse(msg.packed) as PersonGroup[];
    parentPort!.postMessage({
      id: msg.id,
      results: JSON.stringify(preparePersons(env, groups, msg.places, placeCoordinates)),
    });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
// Loaded before saying ready, so the first batch does not wait for it.
loadGeography();
parentPort!.postMessage({ ready: true });
