import type { Ajv } from 'ajv';
import { type TextMode, textProblem } from '../../domain/text.ts';

/**
 * Control characters in text (issue 11): U+0000 made PostgreSQL answer 500 while SQLite stored
 * it, and other controls hide text in logs, CSV exports and consoles. The rule of domain/text.ts
 * holds for every string of every route schema (body, query, params), added at compile time
 * (withTextRule), never field by field. Which strings are single-line: those whose maxLength is
 * at most LINE_MAX (names, titles, cities, contacts, codes) or that carry a format or pattern
 * (ids, dates, emails). Longer free text (reasons, statements, notes, Markdown) may span lines.
 *
 * The refusal carries keyword `text`, which the error handler answers as `invalid_text`.
 */
export const TEXT_KEYWORD = 'text';
export const LINE_MAX = 300;

export function addTextKeyword(ajv: Ajv): Ajv {
  ajv.addKeyword({
    keyword: TEXT_KEYWORD,
    type: 'string',
    schemaType: 'string',
    errors: true,
    validate: function check(mode: TextMode, data: string) {
      const problem = textProblem(data, mode);
      if (problem === null) return true;
      (check as unknown as { errors: unknown[] }).errors = [
        { keyword: TEXT_KEYWORD, message: problem, params: { mode } },
      ];
      return false;
    },
  });
  return ajv;
}

type Schema = Record<string, unknown>;
const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A copy of a route schema with the text rule on every string in it (the shared TypeBox objects
 * stay untouched: the OpenAPI document and the serializers see them as written).
 */
export function withTextRule(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withTextRule);
  if (!isSchema(schema)) return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) {
    // Values, not schemas: copy as they are.
    out[k] = k === 'enum' || k === 'const' || k === 'default' || k === 'examples' ? v : walkChild(k, v);
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('string') && out[TEXT_KEYWORD] === undefined) {
    const bounded = typeof schema.maxLength === 'number' && schema.maxLength <= LINE_MAX;
    out[TEXT_KEYWORD] = bounded || schema.format || schema.pattern ? 'line' : 'multiline';
  }
  return out;
}

function walkChild(key: string, v: unknown): unknown {
  switch (key) {
    case 'properties':
    case 'patternProperties':
    case '$defs':
    case 'definitions':
      return isSchema(v) ? Object.fromEntries(Object.entries(v).map(([n, s]) => [n, withTextRule(s)])) : v;
    default:
      return isSchema(v) || Array.isArray(v) ? withTextRule(v) : v;
  }
}
