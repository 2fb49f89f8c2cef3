/**
 * The column order of the JSON rows an import hands to the store (see insertIncidentsJson in
 * incidents-bulk.ts). Shared with the import's worker, which writes those rows: this module
 * imports nothing, so the worker does not load the query layer.
 */

/** Columns of incidents in PreparedRow.json (the rest are constants of the batch, or NULL). */
export const INCIDENT_JSON_COLUMNS = [
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
export const ACTOR_JSON_COLUMNS = ['incident_id', 'actor_id', 'role', 'confidence', 'position'] as const;

/** Columns of incident_posts rows in PreparedRow.links (retracted_at is NULL). */
export const LINK_JSON_COLUMNS = ['post_id', 'incident_id', 'distance_km', 'occurred_at', 'type'] as const;
