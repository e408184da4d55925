// The faults a chaos backend can answer a request with, each written straight onto the node:http response:
// classic and bare 5xx, garbage 200s, a hang, a socket reset before or mid-answer, a slow trickle, a 401.
import type { IncomingMessage, ServerResponse } from 'node:http';

export const FAULTS = [
  'error500', // 500 with a classic error body
  'error500Plain', // 500 text/plain, as a crashed web server says it
  'error503', // 503 with a classic body (an overloaded service)
  'html404', // a proxy's HTML 404 page
  'garbage', // 200 that is not JSON
  'truncatedJson', // 200, a complete HTTP message holding JSON cut short
  'wrongShape', // 200 JSON that is not the classic answer (no StatusCode, no job id)
  'hang', // reads the request, never answers
  'resetOnRequest', // destroys the socket as soon as the request arrives
  'resetMidResponse', // sends the head and part of the body, then destroys the socket
  'trickle', // 200 and one byte every 100 ms, forever
  'unauthorized', // 401 whatever the key
] as const;
export type Fault = (typeof FAULTS)[number];

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

export function classicError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

/** Answers `req` with `fault`. The request body is drained first unless the fault is about the socket. */
export function injectFault(fault: Fault, req: IncomingMessage, res: ServerResponse): void {
  if (fault === 'resetOnRequest') return void req.socket.destroy();
  req.resume();
  switch (fault) {
    case 'error500':
      return classicError(res, 500, 'InternalError', 'Execution encountered an internal error.');
    case 'error500Plain':
      return void res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
    case 'error503':
      return classicError(res, 503, 'ServiceUnavailable', 'The service is too busy; try again later.');
    case 'html404':
      return void res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body><h1>404 Not Found</h1></body></html>');
    case 'garbage':
      return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>upstream maintenance</html>');
    case 'truncatedJson':
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"Results":{"output1":{"type":"table","value":{"ColumnNames":["Col2"');
    case 'wrongShape':
      return sendJson(res, 200, { Status: 'Done', Output: [1, 2, 3] });
    case 'hang':
      return;
    case 'resetMidResponse':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' });
      res.write('{"Results":{"output1":');
      return void setTimeout(() => res.socket?.destroy(), 20);
    case 'trickle': {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{');
      const timer = setInterval(() => res.write(' '), 100);
      return void res.on('close', () => clearInterval(timer));
    }
    case 'unauthorized':
      return classicError(res, 401, 'Unauthorized', 'The API key is not valid.');
  }
}
