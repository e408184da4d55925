// Facts about where this process runs, in one place: whether it runs in Azure (App Service sets
// WEBSITE_INSTANCE_ID), what counts as a loopback host (the only hosts plain http may reach), and this process's
// instance id (leases and usage rows tell instances apart by it).
import { randomUUID } from 'node:crypto';

export function runningInAzure(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.WEBSITE_INSTANCE_ID);
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Per process, not per machine: Azure may run several worker processes on one instance, and a restarted process
 * must write new usage rows and hold new leases rather than pass for its predecessor. Safe as a table key.
 */
export const INSTANCE_ID = `${(process.env.WEBSITE_INSTANCE_ID ?? 'local').replace(/[^A-Za-z0-9-]/g, '').slice(0, 12)}-${process.pid}-${randomUUID().slice(0, 8)}`;
