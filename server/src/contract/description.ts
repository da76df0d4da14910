import * as path from 'path';
import { fileURLToPath } from 'url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { parseDocument } from 'yaml';
import { decodeText, formatBytes, isInside, locateReference, readRegularFile } from '../base/files';
import { isObject, type JsonObject } from '../base/value';
import { normaliseOpenApi3, normaliseSwagger2 } from './normalise';

/**
 * The partner's own API description (OpenAPI 3.0 / 3.1, Swagger 2.0) as an input: parsed, validated and
 * dereferenced by @apidevtools/swagger-parser, then normalised into one shape whatever the version. External
 * `$ref`s may only name files inside the root, read through base/files.ts; nothing is fetched over HTTP.
 */

export interface ApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema?: JsonSchema;
}
export interface ApiResponse {
  /** '200', '2XX', 'default'. */
  status: string;
  schema?: JsonSchema;
  example?: unknown;
  description?: string;
}
export interface ApiRequestBody {
  required: boolean;
  contentType: string;
  schema?: JsonSchema;
  example?: unknown;
}
export interface ApiOperation {
  /** Upper case: 'POST'. */
  method: string;
  /** The description's path template, '/lists/{list_id}/members'. */
  path: string;
  /** Base URLs that apply (operation, path or document level; '' when none). */
  servers: string[];
  operationId?: string;
  summary?: string;
  description?: string;
  parameters: ApiParameter[];
  requestBody?: ApiRequestBody;
  responses: ApiResponse[];
  /** Resolved: each alternative is a list of schemes (AND), the list is OR. Empty: no authentication. */
  security: ApiSecurityRequirement[];
}
export type ApiSecurityScheme =
  | { type: 'apiKey'; name: string; in: 'header' | 'query' | 'cookie'; id: string }
  | { type: 'http'; /** 'basic', 'bearer' or another, lower case. */ scheme: string; id: string }
  | { type: 'oauth2' | 'openIdConnect'; id: string };
export type ApiSecurityRequirement = ApiSecurityScheme[];
/** A dereferenced JSON Schema (OpenAPI 3.1, or 3.0 / Swagger 2.0 as written: see contract/schema.ts). */
export type JsonSchema = Record<string, unknown> | boolean;
export type ApiFormat = 'openapi-3.1' | 'openapi-3.0' | 'swagger-2.0';
export interface ApiDescription {
  file: string;
  format: ApiFormat;
  title?: string;
  operations: ApiOperation[];
  /** The dereferenced document as parsed, for Prism (the description-driven mock). */
  document: unknown;
}
/** Readable: what is wrong, where in the file. */
export interface DescriptionProblem {
  message: string;
  /** The description was still loaded (it does not validate, but its operations could be read). */
  loaded?: boolean;
}
export interface DescriptionLoad {
  description?: ApiDescription;
  problems: DescriptionProblem[];
}

/** Real descriptions run to several MB (a whole platform's API); larger is refused unread. */
export const MAX_DESCRIPTION_BYTES = 16 * 1024 * 1024;

const fail = (message: string): DescriptionLoad => ({ problems: [{ message }] });

/** Reads `file` (inside `root`) and parses it. Never throws. */
export async function loadApiDescription(file: string, root: string): Promise<DescriptionLoad> {
  const absolute = path.resolve(file);
  const located = locateReference(path.relative(path.dirname(absolute), absolute), {
    baseDir: path.dirname(absolute),
    rootDir: root,
  });
  if (!located.ok) return fail(`The API description ${located.reason}.`);
  const read = readRegularFile(located.path, MAX_DESCRIPTION_BYTES);
  if (!read.ok) return fail(`The API description ${read.reason}.`);
  return parseApiDescription(decodeText(read), absolute, root);
}

/** Same from text already in memory (the editor's unsaved buffer). Never throws. */
export async function parseApiDescription(text: string, file: string, root: string): Promise<DescriptionLoad> {
  try {
    if (Buffer.byteLength(text) > MAX_DESCRIPTION_BYTES) {
      return fail(`The API description is larger than ${formatBytes(MAX_DESCRIPTION_BYTES)}, so it is not read.`);
    }
    const parsed = parseText(text, file);
    if ('problem' in parsed) return fail(parsed.problem);
    return await dereference(parsed.value, path.resolve(file), root);
  } catch (error) {
    return fail(`The API description could not be read: ${messageOf(error)}.`);
  }
}

function parseText(text: string, file: string): { value: JsonObject } | { problem: string } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const where = first.linePos ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}` : '';
    const shown = first.message.split('\n')[0];
    return { problem: `${path.basename(file)} is not valid YAML or JSON${where}: ${shown}` };
  }
  const value: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (isPostmanCollection(value)) return { problem: POSTMAN_UNSUPPORTED };
  if (!isObject(value)) return { problem: `${path.basename(file)} is not an OpenAPI or Swagger document.` };
  if (typeof value.openapi !== 'string' && value.swagger !== '2.0') {
    return {
      problem:
        `${path.basename(file)} has neither "openapi: 3.x" nor "swagger: 2.0" at the top, ` +
        'so it is not read as an API description.',
    };
  }
  return { value };
}

const POSTMAN_UNSUPPORTED =
  'This is a Postman collection. Postman collections are not read: no kept library converts them to OpenAPI ' +
  '(a collection holds example requests, not a schema of what the API accepts, so there is nothing to check ' +
  'a request against). Export the OpenAPI description from the API instead, or convert the collection with ' +
  "Postman's own tooling.";

function isPostmanCollection(value: unknown): boolean {
  const info = isObject(value) && isObject(value.info) ? value.info : undefined;
  return Boolean(info && typeof info.schema === 'string' && info.schema.includes('schema.getpostman.com'));
}

async function dereference(value: JsonObject, file: string, root: string): Promise<DescriptionLoad> {
  const problems: DescriptionProblem[] = [];
  const refused: string[] = [];
  const options = parserOptions(file, root, refused);
  let document: unknown;
  try {
    document = await SwaggerParser.validate(file, structuredClone(value) as never, options);
  } catch (error) {
    if (refused.length > 0) return fail(refused[0]);
    try {
      document = await SwaggerParser.dereference(file, value as never, options);
    } catch (second) {
      return fail(refused[0] ?? `The API description cannot be resolved: ${messageOf(second)}.`);
    }
    problems.push({ message: `The API description does not validate: ${messageOf(error)}.`, loaded: true });
  }
  return { description: describe(document, file), problems };
}

function parserOptions(file: string, root: string, refused: string[]): SwaggerParser.Options {
  const read = (info: { url: string }): Buffer => {
    const target = info.url.startsWith('file:') ? fileURLToPath(info.url) : decodeURI(info.url);
    const resolved = path.resolve(target);
    const base = path.dirname(file);
    if (!isInside(path.resolve(root), resolved)) {
      const message = `The API description refers to ${target}, outside the workspace; only files inside it are read.`;
      refused.push(message);
      throw new Error(message);
    }
    const located = locateReference(path.relative(base, resolved), { baseDir: base, rootDir: root });
    const got = located.ok ? readRegularFile(located.path, MAX_DESCRIPTION_BYTES) : located;
    if (!got.ok) {
      const message = `The API description refers to ${path.relative(base, resolved)}, which ${got.reason}.`;
      refused.push(message);
      throw new Error(message);
    }
    return Buffer.from(got.bytes);
  };
  return {
    resolve: { external: true, http: false, file: { order: 1, canRead: true, read } },
    dereference: { circular: 'ignore' },
  };
}

function describe(document: unknown, file: string): ApiDescription {
  const doc = isObject(document) ? document : {};
  const info = isObject(doc.info) ? doc.info : {};
  const title = typeof info.title === 'string' ? info.title : undefined;
  if (doc.swagger === '2.0') {
    return { file, format: 'swagger-2.0', title, operations: normaliseSwagger2(doc), document };
  }
  const format = typeof doc.openapi === 'string' && doc.openapi.startsWith('3.1') ? 'openapi-3.1' : 'openapi-3.0';
  return { file, format, title, operations: normaliseOpenApi3(doc), document };
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].replace(/\.$/, '').slice(0, 400);
}
