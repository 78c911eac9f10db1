/**
 * Parsing and validating signalling frames. Every frame is untrusted: it is parsed,
 * checked for prototype-pollution keys and excessive nesting, and validated against the
 * protocol's TypeBox schemas with compiled checkers before any handler sees it.
 */
import { REQUESTS, RequestFrame, type Method } from '@konvent/protocol';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { AppError } from '../errors/AppError.ts';

/** Deepest nesting a frame may have; real requests (RTP parameters) stay below 10. */
export const MAX_FRAME_DEPTH = 32;
/** Keys that could reach an object's prototype if some code merged the value. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const frameCheck = TypeCompiler.Compile(RequestFrame);
const requestChecks = new Map<string, TypeCheck<TSchema>>(
  Object.entries(REQUESTS).map(([method, spec]) => [method, TypeCompiler.Compile(spec.request)]),
);

/** Parses a text frame as JSON; throws `bad_request` if it is not JSON. */
export function parseFrame(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'The frame is not valid JSON.');
  }
}

/**
 * Refuses keys that could reach a prototype and nesting deeper than `MAX_FRAME_DEPTH`,
 * anywhere in a parsed frame (`bad_request`). Iterative, so a hostile frame can not
 * exhaust the stack.
 */
export function checkStructure(value: unknown): void {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === undefined || typeof item.node !== 'object' || item.node === null) continue;
    if (item.depth >= MAX_FRAME_DEPTH)
      throw new AppError('bad_request', 'The frame is nested too deeply.');
    if (Array.isArray(item.node)) {
      for (const child of item.node) stack.push({ node: child, depth: item.depth + 1 });
      continue;
    }
    for (const [key, child] of Object.entries(item.node)) {
      if (FORBIDDEN_KEYS.has(key))
        throw new AppError('bad_request', `The key "${key}" is not allowed.`);
      stack.push({ node: child, depth: item.depth + 1 });
    }
  }
}

/** The request id of a frame that may be malformed, if it carries a usable one. */
export function frameId(value: unknown): number | null {
  if (typeof value !== 'object' || value === null || !('id' in value)) return null;
  const id = value.id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 1 && id <= 2_147_483_647
    ? id
    : null;
}

function describeFirstError(check: TypeCheck<TSchema>, value: unknown, prefix: string): string {
  const first = check.Errors(value).First();
  if (first === undefined) return 'The request fails validation.';
  const path = `${prefix}${first.path}`.slice(0, 80) || '/';
  return `${path}: ${first.message}`.slice(0, 160);
}

/** A validated request: its id, method and data. */
export interface ValidRequest {
  id: number;
  method: Method;
  data: unknown;
}

/**
 * Validates a parsed frame: the envelope, then the method name, then the method's data.
 * Throws `bad_request` (with a short path description) or `unknown_method`.
 */
export function validateRequest(value: unknown): ValidRequest {
  if (!frameCheck.Check(value)) {
    throw new AppError('bad_request', describeFirstError(frameCheck, value, ''));
  }
  const check = requestChecks.get(value.method);
  if (check === undefined || !Object.hasOwn(REQUESTS, value.method))
    throw new AppError('unknown_method');
  if (!check.Check(value.data)) {
    throw new AppError('bad_request', describeFirstError(check, value.data, '/data'));
  }
  return { id: value.id, method: value.method as Method, data: value.data };
}
