/** Tables of posts, their posture and staff movement restrictions (migration 0003_posts). */
export interface PostTables {
  posts: PostTable;
  post_district_regions: PostDistrictRegionTable;
  posture_changes: PostureChangeTable;
  posture_requests: PostureRequestTable;
  staff_restrictions: StaffRestrictionTable;
}

export interface PostTable {
  id: string;
  kind: string;
  name: string;
  city: string;
  country: string;
  lat: number;
  lon: number;
  /** JSON: { phone, email, address, hours }. */
  contact: string;
  /** JSON array of ISO 3166-2 codes (mirrored in post_district_regions, which enforces uniqueness). */
  district_regions: string;
  /** JSON GeoJSON Polygon/MultiPolygon, or null. */
  district_geometry: string | null;
  coverage_delegate_id: string | null;
  posture_change_id: string | null;
  created_at: string;
  updated_at: string;
}

/** One row per region claimed by a district: the primary key makes a shared region impossible. */
export interface PostDistrictRegionTable {
  region: string;
  post_id: string;
}

export interface PostureChangeTable {
  id: string;
  post_id: string;
  previous_state: string | null;
  state: string;
  staff_departure: string;
  family_departure: string;
  /** JSON: { citizenServices, visas, walkIn }. */
  services: string;
  effective_at: string;
  reason: string;
  review_by: string | null;
  /** JSON { text, by } or null. */
  statement: string | null;
  coverage_delegate_id: string | null;
  request_id: string | null;
  created_at: string;
  created_by: string;
  approved_by: string | null;
}

export interface PostureRequestTable {
  id: string;
  post_id: string;
  status: string;
  /** JSON: the exact content approved (PostureRequestContent). */
  content: string;
  content_hash: string;
  requested_by: string;
  requested_at: string;
  /** JSON array of actor ids who wrote the content. */
  authors: string;
  updated_at: string;
  expires_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  change_id: string | null;
}

export interface StaffRestrictionTable {
  id: string;
  post_id: string;
  country: string;
  regions: string;
  geometry: string | null;
  reason: string;
  valid_from: string;
  valid_until: string | null;
  task_id: string | null;
  created_at: string;
  created_by: string;
}
