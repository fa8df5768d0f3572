import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

/**
 * Holds an answer of the server to what /api/openapi.json says about it: the status is listed
 * for the operation, the Content-Type is one documented for that status, and a JSON body
 * matches the documented schema. Used by every API test (test/helpers/app.ts records each
 * answer) and by the schema-driven fuzzer (test/api/fuzz.test.ts).
 */

export type JsonSchema = Record<string, unknown>;

export interface MediaType {
  schema?: JsonSchema;
}

export interface OperationObject {
  parameters?: { name: string; in: 'path' | 'query' | 'header' | 'cookie'; required?: boolean; schema: JsonSchema }[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, { description: string; content?: Record<string, MediaType> }>;
  security?: unknown[];
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export class Conformance {
  readonly doc: OpenApiDocument;
  private readonly ajv = addFormats(new Ajv2020({ strict: false, allErrors: false, validateFormats: true }));
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(doc: OpenApiDocument) {
    this.doc = doc;
  }

  static async of(app: FastifyInstance): Promise<Conformance> {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    return new Conformance(res.json() as OpenApiDocument);
  }

  /** The documented operation of a Fastify route ("/api/v1/users/:id" → "/api/v1/users/{id}"). */
  operation(method: string, routeUrl: string): OperationObject | undefined {
    return this.doc.paths[routeUrl.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
  }

  /** What is wrong with an answer, or an empty list. `body` is checked only when given. */
  check(method: string, routeUrl: string, status: number, contentType: string | undefined, body?: string): string[] {
    const op = this.operation(method, routeUrl);
    const where = `${method} ${routeUrl} → ${status}`;
    if (!op) return [];
    const response = op.responses[String(status)] ?? op.responses.default;
    if (!response) return [`${where}: status not documented (documented: ${Object.keys(op.responses).join(', ')})`];
    // A 204 has no body on the wire, whatever the reply set before it was stripped.
    if (status === 204) return [];
    const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (!response.content) return media && body !== '' ? [`${where}: documented without a body, sent ${media}`] : [];
    const key = Object.keys(response.content).find(
      (k) => k === media || k === '*/*' || (k.endsWith('/*') && media.startsWith(k.slice(0, -1))),
    );
    if (!key)
      return [
        `${where}: Content-Type ${media || '(none)'} not documented (documented: ${Object.keys(response.content).join(', ')})`,
      ];
    if (body === undefined || !/json$/.test(key)) return [];
    const schema = response.content[key]!.schema;
    if (!schema) return [];
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return [`${where}: body is not JSON`];
    }
    const id = `${method} ${routeUrl} ${status} ${key}`;
    let validate = this.validators.get(id);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.validators.set(id, validate);
    }
    if (validate(value)) return [];
    return [`${where}: body does not match the documented schema: ${this.ajv.errorsText(validate.errors)}`];
  }
}
