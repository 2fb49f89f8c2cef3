/** Tables of incidents, their actors and links to posts (migrations 0005_incidents, 0007_incidents_perf). */
export interface IncidentTables {
  incidents: IncidentTable;
  incident_actors: IncidentActorTable;
  incident_posts: IncidentPostTable;
  incident_versions: IncidentVersionTable;
  incident_link_posts: IncidentLinkPostTable;
  actors: ActorTable;
  actor_relations: ActorRelationTable;
}

export interface IncidentTable {
  id: string;
  /** The source's event id (ACLED event_id_cnty), unique; null for incidents logged in Warden. */
  event_id: string | null;
  occurred_at: string;
  time_precision: string;
  lat: number;
  lon: number;
  /** The point's 1-degree map cell (cellOf in src/domain/incidents/cells.ts; migration 0007). */
  cell: number;
  geo_precision: string;
  place: string | null;
  /** Derived from the point: ISO 3166-1 alpha-2 and ISO 3166-2. */
  country: string;
  region: string | null;
  type: string;
  sub_type: string;
  target_text: string | null;
  target_post_id: string | null;
  fatalities: number | null;
  injuries: number | null;
  /** JSON array of strings. */
  sources: string;
  notes: string | null;
  /** JSON object of source columns Warden does not model (verbatim), or null. */
  source: string | null;
  /** Hash of the imported content, so a re-import of an unchanged row writes nothing. */
  content_hash: string | null;
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  retracted_at: string | null;
  retracted_by: string | null;
  retraction_reason: string | null;
}

export interface IncidentActorTable {
  incident_id: string;
  actor_id: string;
  role: string;
  confidence: string;
  /** Order of the actor in the incident (ACLED: actor1, its associates, actor2, ...). */
  position: number;
}

/**
 * An incident within the configured radius of a post, with the fields trends read copied in
 * (time, type, retraction), so a post's trend is one index range without a join.
 */
export interface IncidentPostTable {
  post_id: string;
  incident_id: string;
  distance_km: number;
  occurred_at: string;
  type: string;
  retracted_at: string | null;
}

export interface IncidentVersionTable {
  incident_id: string;
  version: number;
  /** JSON: the full incident as it was before this version was replaced. */
  state: string;
  replaced_at: string;
  replaced_by: string;
}

/** Where each post was, and with which radius, when its links were last computed. */
export interface IncidentLinkPostTable {
  post_id: string;
  lat: number;
  lon: number;
  radius_km: number;
  linked_at: string;
}

export interface ActorTable {
  id: string;
  name: string;
  /** Lower-cased, spaces collapsed: names match on it (unique). */
  name_key: string;
  type: string;
  notes: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
}

export interface ActorRelationTable {
  id: string;
  from_actor_id: string;
  relation: string;
  to_actor_id: string;
  confidence: string;
  notes: string | null;
  created_at: string;
  created_by: string;
}
