import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Access } from '../../../domain/auth/policy.ts';
import { WardenError } from '../../../domain/errors.ts';
import { loadGeography } from '../../../domain/geo/index.ts';
import { responses } from '../../schemas.ts';
import { CityOut, CountryOut, PlaceOut, RegionOut } from './schema.ts';

const CountryCode = Type.String({ pattern: '^[A-Za-z]{2,3}$' });

function knownCountry(code: string): string {
  const c = loadGeography().country(code);
  if (!c) throw new WardenError('unknown_country', `Unknown country "${code}".`, { country: code });
  return c.code;
}

/** Reference data never changes while the process runs: serialise once, answer 304 to revalidation. */
const bodies = new Map<string, { body: string; etag: string }>();
function sendCachedGeoJson(
  req: FastifyRequest,
  reply: FastifyReply,
  key: string,
  make: () => unknown,
): FastifyReply {
  let hit = bodies.get(key);
  if (!hit) {
    const body = JSON.stringify(make());
    hit = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    bodies.set(key, hit);
  }
  reply.header('etag', hit.etag).header('cache-control', 'public, max-age=3600');
  if (req.headers['if-none-match'] === hit.etag) return reply.status(304).send();
  return reply.type('application/geo+json').send(hit.body);
}

export function geoRoutes(): FastifyPluginAsyncTypebox {
  return async (app) => {
    const open = { access: Access.public };

    app.get(
      '/api/geo/countries',
      {
        config: open,
        schema: {
          tags: ['geo'],
          summary: 'All countries (ISO 3166-1)',
          response: responses({ 200: Type.Object({ countries: Type.Array(CountryOut) }) }),
        },
      },
      async () => ({ countries: loadGeography().countries() }),
    );

    app.get(
      '/api/geo/countries.geojson',
      {
        config: open,
        schema: { tags: ['geo'], summary: 'Country boundaries (Natural Earth, simplified) as GeoJSON' },
      },
      async (req, reply) =>
        sendCachedGeoJson(req, reply, 'countries', () => loadGeography().countriesGeoJSON()),
    );

    app.get(
      '/api/geo/regions',
      {
        config: open,
        schema: {
          tags: ['geo'],
          summary: 'First-level regions of a country (ISO 3166-2)',
          querystring: Type.Object({ country: CountryCode }, { additionalProperties: false }),
          response: responses({ 200: Type.Object({ regions: Type.Array(RegionOut) }) }),
        },
      },
      async (req) => ({ regions: loadGeography().regions(knownCountry(req.query.country)) }),
    );

    app.get(
      '/api/geo/regions.geojson',
      {
        config: open,
        schema: {
          tags: ['geo'],
          summary: 'First-level region boundaries of a country as GeoJSON',
          querystring: Type.Object({ country: CountryCode }, { additionalProperties: false }),
        },
      },
      async (req, reply) => {
        const code = knownCountry(req.query.country);
        return sendCachedGeoJson(req, reply, `regions:${code}`, () => loadGeography().regionsGeoJSON(code));
      },
    );

    app.get(
      '/api/geo/cities',
      {
        config: open,
        schema: {
          tags: ['geo'],
          summary: "Cities of 500,000 people or more (GeoNames), largest first, for the map's labels",
          response: responses({
            200: Type.Object({
              cities: Type.Array(CityOut),
            }),
          }),
        },
      },
      (req, reply) =>
        sendCachedGeoJson(req, reply, 'cities', () => ({
          cities: loadGeography()
            .majorCities(500_000, 1500)
            .map(([name, country, lat, lon, population]) => ({ name, country, lat, lon, population })),
        })).type('application/json'),
    );

    app.get(
      '/api/geo/places',
      {
        config: open,
        schema: {
          tags: ['geo'],
          summary: 'Search the offline gazetteer (GeoNames)',
          querystring: Type.Object(
            {
              q: Type.String({ minLength: 1, maxLength: 100 }),
              country: Type.Optional(CountryCode),
              limit: Type.Integer({ minimum: 1, maximum: 50, default: 10 }),
            },
            { additionalProperties: false },
          ),
          response: responses({ 200: Type.Object({ places: Type.Array(PlaceOut) }) }),
        },
      },
      async (req) => {
        const country = req.query.country ? knownCountry(req.query.country) : undefined;
        return { places: loadGeography().searchPlaces(req.query.q, { country, limit: req.query.limit }) };
      },
    );
  };
}
