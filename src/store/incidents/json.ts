/**
 * The column order of the rows an import hands to the store (insertImportRows in
 * bulk.ts), as arrays or as their JSON text. Shared with the import's worker, which
 * makes those rows: this module imports nothing, so the worker does not load the query layer.
 */

/** Columns of incidents (the others are constants of the batch, or NULL). */
export const IMPORT_INCIDENT_COLUMNS = [
  'id',
  'event_id',
  'occurred_at',
  'time_precision',
  'lat',
  'lon',
  'cell',
  'geo_precision',
  'place',
  'country',
  'region',
  'type',
  'sub_type',
  'fatalities',
  'sources',
  'notes',
  'source',
  'content_hash',
] as const;

/** Columns of incident_actors rows. */
export const IMPORT_ACTOR_COLUMNS = ['incident_id', 'actor_id', 'role', 'confidence', 'position'] as const;

/** Columns of incident_posts rows (retracted_at is NULL). */
export const IMPORT_LINK_COLUMNS = ['post_id', 'incident_id', 'distance_km', 'occurred_at', 'type'] as const;
