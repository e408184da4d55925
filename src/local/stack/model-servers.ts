// The real model servers of the local stack and of the tests, each its own Python process: the Azure ML inference
// server (azureml-inference-server-http, what runs score.py inside Azure ML online deployments) hosting the project's
// two deployments of the reference model (models/feature-hashing/azureml: the MLflow contract and the classic body),
// and MLServer hosting the same model over the Open Inference Protocol (models/feature-hashing/mlserver). Python
// comes from BACKENDS_PYTHON, else the project's .venv, else .local/backends-venv (which `npm start` prepares from
// models/requirements.txt on first use). Every server listens on 127.0.0.1 only.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { request } from 'undici';
import { startChild, type RunningChild } from './child.js';

export interface ModelServers {
  /** The Azure ML inference server of each deployment (POST /score). */
  azureml: { mlflow: string; classic: string };
  /** MLServer's base URL (the /v2 routes). */
  oip: string;
  /** The Python that runs them (and the batch runtime stand-in's scoring scripts). */
  python: string;
  children: RunningChild<unknown>[];
}

const SERVERS_DIR = ['models', 'feature-hashing'];
export const OIP_MODEL = 'feature-hashing';
const VENV = ['.local', 'backends-venv'];
const READY_TIMEOUT_MS = 60_000;

// azmlinfsrv hard-codes 0.0.0.0; the same CLI with its host set to loopback keeps every test's traffic on 127.0.0.1.
const AZMLINFSRV = "import azureml_inference_server_http.amlserver as s; s.DEFAULT_HOST = '127.0.0.1'; s.run()";

function venvReady(venv: string): boolean {
  return ['python', 'mlserver', 'azmlinfsrv'].every((bin) => existsSync(path.join(venv, 'bin', bin)));
}

/** The Python that has both servers, or undefined (with why) when this machine has none yet. */
export function findModelPython(root: string, env: NodeJS.ProcessEnv = process.env): { python?: string; missing?: string } {
  if (env.BACKENDS_PYTHON) {
    return existsSync(env.BACKENDS_PYTHON) ? { python: env.BACKENDS_PYTHON } : { missing: `BACKENDS_PYTHON=${env.BACKENDS_PYTHON} does not exist` };
  }
  for (const venv of [path.join(root, '.venv'), path.join(root, ...VENV)]) {
    if (venvReady(venv)) return { python: path.join(venv, 'bin', 'python') };
  }
  return { missing: `no Python environment with the model servers (.venv or ${VENV.join('/')}; pip install -r models/requirements.txt)` };
}

/**
 * Makes .local/backends-venv from models/requirements.txt when it is missing or the requirements changed (with
 * pip's progress on the console), and returns its Python; undefined, with why, when there is no Python 3 here.
 */
export function prepareModelPython(root: string, log: (line: string) => void): { python?: string; missing?: string } {
  const found = findModelPython(root);
  if (process.env.BACKENDS_PYTHON) return found; // the user chose one: use it or say what is wrong with it
  const venv = path.join(root, ...VENV);
  const requirements = path.join(root, 'models', 'requirements.txt');
  const digest = createHash('sha256').update(readFileSync(requirements)).digest('hex');
  const marker = path.join(venv, '.requirements-sha256');
  const current = existsSync(marker) && readFileSync(marker, 'utf8').trim() === digest;
  if (found.python && (found.python !== path.join(venv, 'bin', 'python') || current)) return found;
  const system = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  if (system.status !== 0) return { missing: 'Python 3 is not installed (python3 not found)' };
  log(`Preparing the model servers' Python environment in ${VENV.join('/')} (once; about a minute)…`);
  if (!existsSync(path.join(venv, 'bin', 'python'))) {
    const made = spawnSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    if (made.status !== 0) return { missing: 'python3 -m venv failed (on Debian: apt-get install python3-venv)' };
  }
  const pins = readFileSync(requirements, 'utf8').split('\n').filter((l) => /^[A-Za-z0-9]/.test(l)).length;
  log(`Installing the ${pins} pinned packages of models/requirements.txt…`);
  const pip = spawnSync(path.join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', requirements], { stdio: 'inherit' });
  if (pip.status !== 0) return { missing: `pip install -r models/requirements.txt failed (exit ${pip.status})` };
  writeFileSync(marker, `${digest}\n`);
  log('The model servers\' Python environment is ready (reused from now on).');
  return { python: path.join(venv, 'bin', 'python') };
}

/** A port free on 127.0.0.1 now (the Python servers take a port number, not 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ModelServerOptions {
  echo?: boolean;
  onLine?: (name: string) => (line: string) => void;
  /** Where the servers' ports come from (a port free now; tests pass a taken one to prove the retry). */
  pickPort?: () => Promise<number>;
}

/** Starts with fresh ports this many times at most when a port was taken between being picked and being bound. */
const PORT_ATTEMPTS = 3;
const PORT_TAKEN = /address already in use|EADDRINUSE|Errno 98|Connection in use/i; // uvicorn (MLServer), gunicorn (azmlinfsrv)

/**
 * Starts the three servers at once; all or none (the started ones are stopped when one fails). The Python servers
 * take a port number, not 0, so a port picked free can be taken by another process before the server binds it:
 * then all three start again on fresh ports.
 */
export async function startModelServers(root: string, python: string, options: ModelServerOptions = {}): Promise<ModelServers> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startModelServersOnce(root, python, options);
    } catch (error) {
      if (attempt >= PORT_ATTEMPTS || !PORT_TAKEN.test(String((error as Error)?.message ?? error))) throw error;
    }
  }
}

async function startModelServersOnce(root: string, python: string, options: ModelServerOptions): Promise<ModelServers> {
  const dir = path.join(root, ...SERVERS_DIR);
  const env = { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' };
  const pick = options.pickPort ?? freePort;
  const [mlflowPort, classicPort, httpPort, grpcPort] = await Promise.all([pick(), pick(), pick(), pick()]);
  const azureml = (name: string, port: number) =>
    startChild<string>({
      name: `azureml-${name}`,
      command: python,
      script: '',
      args: ['-c', AZMLINFSRV, '--entry_script', path.join(dir, 'azureml', name, 'score.py'), '--port', String(port)],
      cwd: path.join(dir, 'azureml', name),
      // No control socket: gunicorn 27 would otherwise share ~/.gunicorn/gunicorn.ctl between instances.
      env: { ...env, GUNICORN_CMD_ARGS: '--no-control-socket' },
      ready: (line) => (line.includes('ready for serving traffic') ? `http://127.0.0.1:${port}` : undefined),
      readyTimeoutMs: READY_TIMEOUT_MS,
      echo: options.echo,
      onLine: options.onLine?.(`azureml-${name}`),
    });
  const oipUrl = `http://127.0.0.1:${httpPort}`;
  const started = await Promise.allSettled([
    azureml('mlflow', mlflowPort),
    azureml('classic', classicPort),
    startChild<string>({
      name: 'mlserver',
      command: path.join(path.dirname(python), 'mlserver'),
      script: '',
      args: ['start', '.'],
      cwd: path.join(dir, 'mlserver'),
      env: { ...env, MLSERVER_HTTP_PORT: String(httpPort), MLSERVER_GRPC_PORT: String(grpcPort) },
      ready: (line) => (line.includes('Uvicorn running on') ? oipUrl : undefined),
      readyTimeoutMs: READY_TIMEOUT_MS,
      echo: options.echo,
      onLine: options.onLine?.('mlserver'),
    }).then(async (child) => {
      await modelReady(oipUrl).catch(async (error: unknown) => {
        await child.stop();
        throw error;
      });
      return child;
    }),
  ]);
  const children = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value as RunningChild<unknown>] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(children.map((c) => c.stop()));
    throw failed.reason;
  }
  const [mlflow, classic, mlserver] = children as RunningChild<string>[];
  return { azureml: { mlflow: mlflow!.info, classic: classic!.info }, oip: mlserver!.info, python, children };
}

/** MLServer listens before it has loaded the model: ready when the model's readiness route says 200. */
async function modelReady(baseUrl: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const status = await request(`${baseUrl}/v2/models/${OIP_MODEL}/ready`, { headersTimeout: 2_000, bodyTimeout: 2_000 })
      .then(async (res) => (await res.body.dump(), res.statusCode))
      .catch(() => 0);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`MLServer did not load ${OIP_MODEL} within ${READY_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
