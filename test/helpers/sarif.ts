// SARIF 2.1.0 validation against the published schema. The schema ships in @microsoft/jest-sarif (draft-04, so it is
// checked with the ajv 6 that package brings).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface SarifValidator {
  (document: unknown): boolean;
  errors?: unknown[] | null;
}

export function sarifValidator(): SarifValidator {
  const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const sarifRequire = createRequire(require.resolve('@microsoft/jest-sarif'));
  const Ajv6 = sarifRequire('ajv');
  const ajv = new Ajv6({ schemaId: 'auto', allErrors: true, validateSchema: false });
  ajv.addMetaSchema(sarifRequire('ajv/lib/refs/json-schema-draft-04.json'));
  return ajv.compile(schema);
}
