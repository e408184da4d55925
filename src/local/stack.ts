// `npm start`: the whole stack on this machine with one command. Writes .local/stack.json, prints what
// to try, and stops every child process on Ctrl-C.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_SERVICES, startStack, type StackInfo } from './stack/start-stack.js';
import { findProjectRoot } from './stack/project.js';
import { portSetting } from './env.js';

const port = portSetting(process.env, 'PORT', 7071);
const started = performance.now();
console.log('Starting the local stack: Azurite, Key Vault stand-in, reference ML service, model servers, facade…');
// Child output is shown with a name prefix; STACK_ECHO=0 keeps the terminal to this summary.
const storageAuth = process.env.STACK_STORAGE_AUTH === 'identity' ? 'identity' : 'key';
if (process.env.STACK_STORAGE_AUTH && process.env.STACK_STORAGE_AUTH !== storageAuth) throw new Error('STACK_STORAGE_AUTH is key (the default) or identity');
const stack = await startStack({ port, echo: process.env.STACK_ECHO !== '0', models: 'optional', storageAuth });
const services = `${stack.facadeUrl}/workspaces/${stack.demo.workspace}/services`;
const modelLines = stack.models
  ? `The same model on the real model servers (same input, same answer):
  Azure ML online (MLflow deployment)   ${services}/${DEMO_SERVICES.azuremlMlflow}/execute?api-version=2.0
  Azure ML online (classic score.py)    ${services}/${DEMO_SERVICES.azuremlClassic}/execute?api-version=2.0
  Open Inference Protocol (MLServer)    ${services}/${DEMO_SERVICES.oip}/execute?api-version=2.0
  Azure ML batch endpoint (BES jobs)    ${services}/${DEMO_SERVICES.azuremlBatch}/jobs?api-version=2.0`
  : `Model servers not started: ${stack.modelsMissing} (the classic demo works without them).`;

const info: StackInfo = {
  facadeUrl: stack.facadeUrl,
  adminKey: stack.adminKey,
  demo: stack.demo,
  storageConnectionString: stack.storageConnectionString,
};
const file = path.join(findProjectRoot(), '.local', 'stack.json');
writeFileSync(file, JSON.stringify({ ...info, facadeSettings: stack.facadeSettings }, null, 2) + '\n', { mode: 0o600 });

const executeUrl = `${stack.facadeUrl}/workspaces/${stack.demo.workspace}/services/${stack.demo.service}/execute?api-version=2.0&details=true`;
console.log(`
ml-facade is up in ${((performance.now() - started) / 1000).toFixed(1)} s.
  facade          ${stack.facadeUrl}
  health          ${stack.facadeUrl}/health
  reference ML    ${stack.backend.url}
  Key Vault       ${stack.keyVault.url}
  settings, keys  ${path.relative(process.cwd(), file)}

Try it (the key is the demo subscription key from .local/stack.json):
  curl -s -X POST '${executeUrl}' \\
    -H "Authorization: Bearer $(node -p "require('./.local/stack.json').demo.subscriptionKey")" \\
    -H 'Content-Type: application/json' \\
    -d '{"Inputs":{"input1":{"ColumnNames":["Col2"],"Values":[["This is a good day"]]}},"GlobalParameters":{}}'

${modelLines}

Ctrl-C stops everything.`);

let stopping = false;
async function shutdown(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  await stack.stop();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
for (const child of stack.children) {
  child.process.once('exit', (code) => {
    if (stopping) return;
    console.error(`${child.name} exited unexpectedly (code ${code}); stopping the stack.`);
    void shutdown(1);
  });
}
