// Starts the real local stack (Azurite, Key Vault stand-in, reference service, facade) for one test file,
// on free ports and in memory, exactly as `npm start` does, and stops it afterwards.
import { afterAll, beforeAll } from 'vitest';
import { startStack, type Stack, type StackOptions } from '../../../src/local/stack/start-stack.js';

export function useStack(options: StackOptions = {}): () => Stack {
  let stack: Stack | undefined;
  beforeAll(async () => {
    // STACK_ECHO=1 shows every child's output while debugging a test.
    stack = await startStack({ port: 0, echo: process.env.STACK_ECHO === '1', ...options });
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
  }, 30_000);
  return () => {
    if (!stack) throw new Error('the stack is not started');
    return stack;
  };
}

/** Every line any process of the stack wrote so far. */
export function allLogs(stack: Stack): string {
  return stack.children.flatMap((c) => c.logs).join('\n');
}
