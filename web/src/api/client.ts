/**
 * The one way the app talks to the server: JSON over same-origin fetch with the session
 * cookie. Every failure becomes an ApiError carrying the RFC 9457 problem, so screens can
 * put field errors beside inputs and show the rest as a message.
 */

/** A field error of the problems table: the field, a code and its params (and an English message the app does not show). */
export type { FieldError } from '../../../src/contracts/problems.ts';
import type { FieldError } from '../../../src/contracts/problems.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldError[];
  /** The whole problem document: some carry more (possible_duplicate's matches, evidence_missing's missing). */
  readonly problem: Record<string, unknown>;

  constructor(
    status: number,
    code: string,
    detail: string,
    errors: FieldError[] = [],
    problem: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.errors = errors;
    this.problem = problem;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

let unauthenticatedHandler: (() => void) | null = null;

/** Called when the session is gone (expired, signed out elsewhere, user deactivated). */
export function onUnauthenticated(handler: () => void): () => void {
  unauthenticatedHandler = handler;
  return () => {
    if (unauthenticatedHandler === handler) unauthenticatedHandler = null;
  };
}

interface RequestOptions {
  /** 401 is an expected answer here (sign-in, "who am I"), not a lost session. */
  expect401?: boolean;
  signal?: AbortSignal;
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** 503 "busy": the embedded database is finishing a large change (an import). Nothing was written, so try again. */
const BUSY_RETRY_DELAYS_MS = [500, 1000, 1500, 2000, 2000, 2000, 2000];

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await requestOnce<T>(method, path, body, options);
    } catch (error) {
      const delay = BUSY_RETRY_DELAYS_MS[attempt];
      if (
        !(isApiError(error) && error.status === 503 && error.code === 'busy') ||
        delay === undefined ||
        options.signal?.aborted
      )
        throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

async function requestOnce<T>(method: string, path: string, body: unknown, options: RequestOptions): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', (error as Error).message);
  }
  if (res.ok) {
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }
  const problem = (await res.json().catch(() => null)) as {
    code?: string;
    detail?: string;
    errors?: FieldError[];
  } | null;
  const error = new ApiError(
    res.status,
    problem?.code ?? `http_${res.status}`,
    problem?.detail ?? res.statusText,
    problem?.errors ?? [],
    (problem ?? {}) as Record<string, unknown>,
  );
  if (res.status === 401 && !options.expect401) unauthenticatedHandler?.();
  throw error;
}

export const api = {
  get: <T>(path: string, query: Query = {}, options?: RequestOptions) =>
    request<T>('GET', withQuery(path, query), undefined, options),
  post: <T>(path: string, body: unknown = {}, options?: RequestOptions) => request<T>('POST', path, body, options),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PATCH', path, body, options),
};
