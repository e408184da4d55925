// What every call the gateway answers leaves behind, for the data plane and the subscriber's own view alike.
import { callLogLine, describeCall, type CallObserver } from '../../usage/call-record.js';
import type { App } from '../app.js';

/** Counts the call in this instance's usage and request log, writes its one log line and hands it to telemetry; bookkeeping never changes or fails the answer. */
export function observeCalls(app: () => App): CallObserver {
  return (call, response) => {
    let parts: App;
    try {
      parts = app();
    } catch {
      return; // no usable settings: the call itself already failed with a logged 500
    }
    try {
      const usage = describeCall(call, response, performance.now());
      parts.usage.recorder.record(usage);
      parts.usage.requestLog.record(usage);
      parts.telemetry.trackCall(usage); // a request item in Application Insights (a no-op when it is not configured)
      // Logged before the handler returns: the worker warns about context.log calls after an invocation ends.
      if (parts.settings.usageCallLog) call.invocation.log(callLogLine(usage));
    } catch (error) {
      call.invocation.warn(`usage: call ${call.requestId} not recorded: ${error instanceof Error ? error.message : typeof error}`);
    }
  };
}
