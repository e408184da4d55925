// The classic BES operations as reference-service routes (paths after /workspaces/{ws}/services/{svc}); auth,
// api-version and the 404s for workspace/service are the server's, done before these run.
import { parseJson } from '../http.js';
import type { ServiceRoute } from '../routes.js';
import type { BesService } from './service.js';

export function besRoutes(bes: BesService): ServiceRoute[] {
  return [
    {
      method: 'POST',
      path: '/jobs',
      async handle(request) {
        const id = bes.submit(parseJson(await request.readBody()));
        return { status: 200, body: id };
      },
    },
    {
      method: 'GET',
      path: '/jobs',
      handle: () => ({ status: 200, body: bes.list() }),
    },
    {
      method: 'POST',
      path: '/jobs/:jobId/start',
      handle(request) {
        bes.start(request.params['jobId'] ?? '');
        return { status: 200 };
      },
    },
    {
      method: 'GET',
      path: '/jobs/:jobId',
      handle: (request) => ({ status: 200, body: bes.status(request.params['jobId'] ?? '') }),
    },
    {
      method: 'DELETE',
      path: '/jobs/:jobId',
      async handle(request) {
        await bes.delete(request.params['jobId'] ?? '');
        return { status: 200 };
      },
    },
  ];
}
