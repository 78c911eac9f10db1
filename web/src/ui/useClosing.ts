import { useEffect } from 'react';

/** Anything with an idempotent close(). */
export interface Closable {
  close(): void;
}

const pendingClose = new WeakMap<Closable, ReturnType<typeof setTimeout>>();

/**
 * Closes `resource` when the component unmounts or the resource is replaced.
 *
 * The close is deferred by one task and cancelled when the same resource is taken up again
 * at once: React's StrictMode unmounts and remounts every component once in development,
 * and a camera or socket must survive that rehearsal.
 */
export function useClosing(resource: Closable | null): void {
  useEffect(() => {
    if (!resource) return;
    const pending = pendingClose.get(resource);
    if (pending !== undefined) {
      clearTimeout(pending);
      pendingClose.delete(resource);
    }
    return () => {
      pendingClose.set(
        resource,
        setTimeout(() => {
          pendingClose.delete(resource);
          resource.close();
        }, 0),
      );
    };
  }, [resource]);
}
