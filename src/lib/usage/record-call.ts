// The gateway handler's last step for every data-plane call, refused ones included: count it in this
// instance's usage and write its one structured log line. Bookkeeping never changes or fails the answer.
import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { getRuntime, type Runtime } from '../runtime.js';
import { callLogLine, describeCall, type FinishedCall } from './call-record.js';

export type CallObserver = (call: FinishedCall & { invocation: InvocationContext }, response: HttpResponseInit) => void;

export const recordGatewayCall: CallObserver = (call, response) => {
  let rt: Runtime;
  try {
    rt = getRuntime();
  } catch {
    return; // no usable settings: the call itself already failed with a logged 500
  }
  try {
    const usage = describeCall(call, response, performance.now());
    rt.usage.recorder.record(usage);
    // Logged before the handler returns: the worker warns about context.log calls after an invocation ends.
    if (rt.settings.usageCallLog) call.invocation.log(callLogLine(usage));
  } catch (error) {
    call.invocation.warn(`usage: call ${call.requestId} not recorded: ${error instanceof Error ? error.message : typeof error}`);
  }
};
