import { Ajv, type Options } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { addTextKeyword, withTextRule } from './text.ts';

// ajv-formats is CommonJS with a default export; under NodeNext it arrives wrapped.
const addFormats = addFormatsImport as unknown as typeof addFormatsImport.default;

const base: Options = { allErrors: true, strict: false, useDefaults: true, removeAdditional: false };

/**
 * Bodies are validated strictly: no type coercion, no silently dropped unknown fields (a typo
 * in a field name must be an error, not a no-op). Query strings and params arrive as text and
 * are coerced to the declared types. Every string of every schema refuses control characters
 * (text.ts), so no route can forget it.
 */
export function registerValidators(app: FastifyInstance): void {
  const strict = addTextKeyword(addFormats(new Ajv({ ...base, coerceTypes: false })));
  const coercing = addTextKeyword(addFormats(new Ajv({ ...base, coerceTypes: 'array' })));
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(withTextRule(schema) as object),
  );
}
