import { useSyncExternalStore } from 'react';

const never = () => () => {};

// False in the server's HTML and during hydration, true once React has attached this page's handlers. A control whose
// only behaviour is a click handler is disabled until then: a click on the server's HTML before the page's script has
// run does nothing, and nothing says so (a slow network, a busy machine).
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}
