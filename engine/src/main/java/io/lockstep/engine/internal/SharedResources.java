package io.lockstep.engine.internal;

import io.lockstep.engine.model.RunResources;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RunResources} of one run session. Opening happens under the lock of its key only, so a
 * slow SSH handshake to one host does not hold up the steps of another; closing happens in reverse
 * opening order when the session ends.
 */
final class SharedResources implements RunResources, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SharedResources.class);

  private final Map<String, Object> locks = new LinkedHashMap<>();
  private final Map<String, AutoCloseable> open =
      Collections.synchronizedMap(new LinkedHashMap<>());
  private boolean closed;

  @Override
  public <T extends AutoCloseable> T get(String key, Class<T> type, Opener<T> opener)
      throws Exception {
    synchronized (lockFor(key)) {
      AutoCloseable existing = open.get(key);
      if (existing != null) {
        return type.cast(existing);
      }
      T resource = opener.open();
      synchronized (this) {
        if (closed) {
          closeQuietly(key, resource);
          throw new IllegalStateException("the run has stopped: " + key + " cannot be opened");
        }
        open.put(key, resource);
      }
      return resource;
    }
  }

  @Override
  public void discard(String key) {
    synchronized (lockFor(key)) {
      AutoCloseable resource = open.remove(key);
      if (resource != null) {
        closeQuietly(key, resource);
      }
    }
  }

  /** Closes every resource, the last opened first; a failure is logged, the rest still close. */
  @Override
  public void close() {
    List<Map.Entry<String, AutoCloseable>> all;
    synchronized (this) {
      closed = true;
      synchronized (open) {
        all = new ArrayList<>(open.entrySet());
        open.clear();
      }
    }
    Collections.reverse(all);
    all.forEach(e -> closeQuietly(e.getKey(), e.getValue()));
  }

  private synchronized Object lockFor(String key) {
    return locks.computeIfAbsent(key, k -> new Object());
  }

  private static void closeQuietly(String key, AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      LOG.warn("closing {} failed: {}", key, e.toString());
    }
  }
}
