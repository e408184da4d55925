// The model servers take port numbers (not 0), picked free just before they start: another process can take one
// in between. The launcher then starts all three again on fresh ports instead of failing the stack (a CI run once
// lost its whole identity pass to MLServer's "address already in use"). Proved by handing it a taken port first.
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { findProjectRoot } from '../../src/local/stack/project.js';
import { freePort, startModelServers, type ModelServers } from '../../src/local/stack/model-servers.js';
import { modelPython } from './helpers/stack.js';

const python = modelPython('model-servers-ports');
let taken: Server | undefined;
let servers: ModelServers | undefined;

afterAll(async () => {
  await Promise.all(servers?.children.map((c) => c.stop()) ?? []);
  taken?.close();
});

describe.skipIf(!python)('the model servers\' ports', () => {
  it('start again on fresh ports when one was taken between being picked and being bound', async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken!.listen(0, '127.0.0.1', resolve));
    const takenPort = (taken.address() as AddressInfo).port;
    // The third port picked is MLServer's HTTP port: the first time, it is the taken one.
    let picks = 0;
    const pickPort = () => (picks++ === 2 ? Promise.resolve(takenPort) : freePort());
    servers = await startModelServers(findProjectRoot(), python!, { pickPort });
    expect(picks).toBe(8); // two rounds of four ports
    expect(new URL(servers.oip).port).not.toBe(String(takenPort));
    const ready = await request(`${servers.oip}/v2/health/ready`);
    await ready.body.dump();
    expect(ready.statusCode).toBe(200);
  }, 120_000);
});
