package io.lockstep.engine.model;

/**
 * Things the steps of one run share and the engine closes when the run stops driving (it finished,
 * paused for an approval, failed, or rolled back): one SSH connection per host, one API client per
 * cluster. A connector asks for one by a key of its own making ({@code "ssh:deploy@10.0.0.5:22"});
 * the first step to ask opens it, the others get the same one, also from parallel branches.
 *
 * <p>A resource must not carry a run's state into the next: a resumed run opens its own again.
 */
public interface RunResources {

  /** Opens a resource; may fail with the connector's own exception. */
  @FunctionalInterface
  interface Opener<T extends AutoCloseable> {
    T open() throws Exception;
  }

  /**
   * The resource under {@code key}, opened by {@code opener} if this run has none yet. An opener
   * that fails leaves nothing behind, so the next step tries again.
   *
   * @throws ClassCastException when {@code key} holds a resource of another type
   * @throws Exception what {@code opener} threw
   */
  <T extends AutoCloseable> T get(String key, Class<T> type, Opener<T> opener) throws Exception;

  /**
   * Closes and forgets the resource under {@code key}, if any: for a connection found broken, so
   * the next {@link #get} opens a fresh one.
   */
  void discard(String key);
}
