// What an entry of the operations table is. An HTTP operation is written once: its name (the function's name,
// the OpenAPI operationId), method, route, where its handler is (loaded on first call) and its OpenAPI entry.
import type { HttpHandler, HttpMethod, InvocationContext, Timer } from '@azure/functions';
import type { OpenApiKit, Json } from '../../openapi/kit.js';
import type { LoadTimeSettings } from '../../settings/load-time.js';
import type { App } from '../app.js';

/** What a handler is built with: the app (built on first use), the load-time settings, and the other operations' handlers. */
export interface HandlerContext {
  app(): App;
  settings: LoadTimeSettings;
  /** The registered handler of another operation (the fallback serves data-plane paths the host could not route). */
  handlerOf(name: string): HttpHandler | undefined;
}

export type HttpHandlerFactory = (context: HandlerContext) => HttpHandler;
export type TimerHandlerFactory = (context: HandlerContext) => (timer: Timer, invocation: InvocationContext) => Promise<void>;

/** A handler module: each export builds the handler of the operation of the same name. */
export type HttpHandlerModule = Record<string, HttpHandlerFactory>;

export interface HttpOperation {
  kind: 'http';
  name: string;
  methods: readonly HttpMethod[];
  /** Relative to the route prefix; a data-plane route also sits under the URL suffix. */
  route: string;
  /** A data-plane operation: under URL_SUFFIX, and served by the fallback when doubled slashes defeat routing. */
  dataPlane?: boolean;
  handlers(): Promise<HttpHandlerModule>;
  /** Its OpenAPI entry; none for operations the document does not list (pages, the fallback). */
  openapi?: (kit: OpenApiKit) => Json;
}

export interface TimerOperation {
  kind: 'timer';
  name: string;
  schedule(settings: LoadTimeSettings): string;
  handlers(): Promise<Record<string, TimerHandlerFactory>>;
}

export type OperationEntry = HttpOperation | TimerOperation;
