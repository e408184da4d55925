// The data plane: the classic RRS and BES operations, the facade's input upload and result download, and each
// service's published documents (anonymous, as classic services published them).
import type { HttpOperation } from './operation.js';

const SERVICE = 'workspaces/{workspace}/services/{service}';
const JOBS = `${SERVICE}/jobs`;
const gateway = () => import('../handlers/data-plane.js');
const documents = () => import('../handlers/documents.js');

export const DATA_PLANE_OPERATIONS: HttpOperation[] = [
  {
    kind: 'http', name: 'rrsExecute', methods: ['POST'], route: `${SERVICE}/execute`, dataPlane: true, handlers: gateway,
    openapi: (k) => k.dataPlane('RRS', 'Score rows now (request-response)', [...k.params.service, ...k.params.rrsQuery], k.rrsAnswer, { requestBody: k.bodies.rrsExecute }, { bodyLimit: true }),
  },
  {
    kind: 'http', name: 'besUploadInput', methods: ['POST'], route: `${SERVICE}/inputs`, dataPlane: true, handlers: gateway,
    openapi: (k) => k.dataPlane('BES inputs', 'Upload a job input file (streamed)', [...k.params.service, ...k.params.uploadQuery],
      { 201: { description: 'Stored; give RelativeLocation as the job input.', content: k.json(k.ref('InputUploadAnswer')) } }, { requestBody: k.bodies.csvUpload }, { bodyLimit: true }),
  },
  {
    kind: 'http', name: 'besInputSas', methods: ['POST'], route: `${SERVICE}/inputs/sas`, dataPlane: true, handlers: gateway,
    openapi: (k) => k.dataPlane('BES inputs', 'Get a write-only SAS URL to upload a large input straight to storage', [...k.params.service, ...k.params.uploadQuery],
      k.ok('PUT the file to SasUrl (x-ms-blob-type: BlockBlob) before ExpiresAt.', k.json(k.ref('InputSasAnswer')))),
  },
  {
    kind: 'http', name: 'besSubmit', methods: ['POST'], route: JOBS, dataPlane: true, handlers: gateway,
    openapi: (k) => k.dataPlane('BES', 'Submit a batch job', [...k.params.service, ...k.params.besQuery], k.ok('The job id.', k.json({ type: 'string' }, k.jobExampleId)),
      { requestBody: k.bodies.besSubmit }, { bodyLimit: true }),
  },
  {
    kind: 'http', name: 'besList', methods: ['GET'], route: JOBS, dataPlane: true, handlers: gateway,
    openapi: (k) => k.dataPlane('BES', 'List your batch jobs, newest first', [...k.params.service, ...k.params.besListQuery], {
      200: {
        description: 'Your jobs on this service; x-ms-continuation announces a further page.',
        headers: { 'x-ms-continuation': { description: 'Give it as $skiptoken for the next page.', schema: { type: 'string' } } },
        content: k.json(k.list('BesJobListItem')),
      },
    }),
  },
  {
    kind: 'http', name: 'besStart', methods: ['POST'], route: `${JOBS}/{jobId}/start`, dataPlane: true, handlers: gateway,
    openapi: (k) => k.dataPlane('BES', 'Start a submitted job', [...k.params.job, ...k.params.besQuery], k.ok('Started (empty body).')),
  },
  {
    kind: 'http', name: 'besStatus', methods: ['GET'], route: `${JOBS}/{jobId}`, dataPlane: true, handlers: gateway,
    openapi: (k) => k.dataPlane('BES', 'Job status and results', [...k.params.job, ...k.params.besQuery],
      k.ok('The job status; results point at read-only SAS URLs.', k.json(k.ref('BesStatusResponse')))),
  },
  {
    kind: 'http', name: 'besCancel', methods: ['DELETE'], route: `${JOBS}/{jobId}`, dataPlane: true, handlers: gateway,
    openapi: (k) => k.dataPlane('BES', 'Cancel a job', [...k.params.job, ...k.params.besQuery], k.ok('Cancelled (empty body).')),
  },
  {
    kind: 'http', name: 'besDownload', methods: ['GET'], route: `${JOBS}/{jobId}/results/{output}`, dataPlane: true, handlers: gateway,
    openapi: (k) => k.dataPlane('BES', 'Download a job output', [...k.params.jobOutput, ...k.params.besQuery], k.ok('The output file.', k.csv)),
  },
  {
    kind: 'http', name: 'serviceSwagger', methods: ['GET'], route: `${SERVICE}/swagger.json`, dataPlane: true, handlers: documents,
    openapi: (k) => k.serviceDocument('The service\'s Swagger 2.0 document (its own input, output and parameter schemas)'),
  },
  {
    kind: 'http', name: 'serviceApiDocument', methods: ['GET'], route: `${SERVICE}/apidocument`, dataPlane: true, handlers: documents,
    openapi: (k) => k.serviceDocument('The service\'s API help document (the same Swagger 2.0 document), as client libraries read it'),
  },
];
