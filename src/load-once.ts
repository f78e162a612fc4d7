// Modules a command needs only after its layers are read, loaded while they are (the walk's onReading) or when first
// asked, whichever comes first: the loading runs once, and its promise is the one every caller awaits.

/**
 * `load`, run at most once: the function returns its promise. A failure reaches whoever awaits it, and is not reported
 * as an unhandled rejection when the loading was only started ahead (nobody awaits it yet).
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    if (!loading) {
      loading = load();
      loading.catch(() => {});
    }
    return loading;
  };
}
