import type * as GeoJSON from 'geojson';
import { type IncidentType, subTypeLabel, typeLabel } from './taxonomy.ts';
import type { IncidentView } from './types.ts';

/** What a map layer shows of an incident (an IncidentView is one). */
export type MapIncident = Pick<
  IncidentView,
  | 'id'
  | 'eventId'
  | 'occurredAt'
  | 'timePrecision'
  | 'location'
  | 'country'
  | 'region'
  | 'type'
  | 'subType'
  | 'target'
  | 'actors'
  | 'fatalities'
  | 'injuries'
  | 'retraction'
  | 'posts'
>;

/** What a map layer styles and shows of an incident (the properties of its feature). */
function incidentProperties(i: MapIncident) {
  return {
    id: i.id,
    eventId: i.eventId,
    occurredAt: i.occurredAt,
    timePrecision: i.timePrecision,
    geoPrecision: i.location.precision,
    place: i.location.place,
    country: i.country,
    region: i.region,
    type: i.type,
    typeLabel: typeLabel(i.type),
    subType: i.subType,
    subTypeLabel: subTypeLabel(i.type, i.subType),
    fatalities: i.fatalities,
    injuries: i.injuries,
    actors: i.actors.map((a) => ({ name: a.name, role: a.role, confidence: a.confidence })),
    targetPostId: i.target.postId,
    posts: i.posts,
    retracted: i.retraction !== null,
  };
}
export type IncidentFeatureProperties = ReturnType<typeof incidentProperties>;

/** One Point feature per incident ([lon, lat], GeoJSON order), with what a map layer styles on. */
export function incidentFeature(i: MapIncident): GeoJSON.Feature<GeoJSON.Point, IncidentFeatureProperties> {
  return {
    type: 'Feature',
    id: i.id,
    geometry: { type: 'Point', coordinates: [i.location.lon, i.location.lat] },
    properties: incidentProperties(i),
  };
}

/** What a map point needs: the rest of an incident is read when it is clicked. */
export interface MapPoint {
  readonly id: string;
  readonly occurredAt: string;
  readonly lat: number;
  readonly lon: number;
  readonly type: IncidentType;
}

/** The properties of a light map point (fields=map). */
export interface PointFeatureProperties {
  readonly id: string;
  readonly type: IncidentType;
  readonly typeLabel: string;
  readonly occurredAt: string;
}

/** A light FeatureCollection for a map layer: id, type (and its label) and time per point. */
export function pointCollection(
  points: readonly MapPoint[],
  nextCursor: string | null,
): GeoJSON.FeatureCollection<GeoJSON.Point, PointFeatureProperties> & { nextCursor: string | null } {
  return {
    type: 'FeatureCollection',
    features: points.map((p) => ({
      type: 'Feature',
      id: p.id,
      geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
      properties: { id: p.id, type: p.type, typeLabel: typeLabel(p.type), occurredAt: p.occurredAt },
    })),
    nextCursor,
  };
}

export function incidentCollection(
  incidents: readonly MapIncident[],
  nextCursor: string | null,
): GeoJSON.FeatureCollection<GeoJSON.Point, IncidentFeatureProperties> & { nextCursor: string | null } {
  return { type: 'FeatureCollection', features: incidents.map(incidentFeature), nextCursor };
}
