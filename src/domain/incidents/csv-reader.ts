// The reader moved to domain/csv.ts, shared by the ACLED and enrollment imports.
export { type CsvBroken, type CsvItem, CsvReader, type CsvRecord } from '../csv.ts';
