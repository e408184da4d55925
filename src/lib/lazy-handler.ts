// A trigger's handler that loads its implementation on first call. Importing the app (a cold start) then
// costs little more than @azure/functions itself: zod, undici and the Azure SDKs load when a call needs them.
type Implementation<A extends unknown[], R> = (...args: A) => R | Promise<R>;

export function lazyHandler<A extends unknown[], R>(load: () => Promise<Implementation<A, R>>): (...args: A) => Promise<R> {
  let implementation: Implementation<A, R> | undefined;
  let loading: Promise<Implementation<A, R>> | undefined;
  return async function handleLazily(...args: A): Promise<R> {
    if (implementation) return implementation(...args);
    loading ??= load().catch((error: unknown) => {
      loading = undefined; // a failed load is retried by the next call
      throw error;
    });
    implementation = await loading;
    return implementation(...args);
  };
}
