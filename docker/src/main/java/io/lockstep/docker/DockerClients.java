package io.lockstep.docker;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@link Docker} client per endpoint, shared by every step that talks to it. A step leases the
 * client for the length of its action and releases it when done; a client nobody has leased for
 * {@link #IDLE_SECONDS} seconds is closed, so the steps of one run reuse one connection pool and a
 * finished run leaves no sockets open behind it.
 *
 * <pre>{@code
 * try (Docker docker = DockerClients.lease("unix:///var/run/docker.sock")) {
 *   docker.container("portal");
 * }
 * }</pre>
 */
public final class DockerClients {

  /** How long an unused client stays open for the next step. */
  static final long IDLE_SECONDS = 30;

  private static final Map<String, Entry> CLIENTS = new HashMap<>();
  private static final ScheduledExecutorService CLOSER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "lockstep-docker-closer");
            thread.setDaemon(true);
            return thread;
          });

  private DockerClients() {}

  /** The client for this endpoint, opened on first use; close the lease to release it. */
  public static Docker lease(String host) {
    synchronized (CLIENTS) {
      Entry entry = CLIENTS.computeIfAbsent(host, h -> new Entry(Docker.open(h)));
      entry.leases++;
      if (entry.closing != null) {
        entry.closing.cancel(false);
        entry.closing = null;
      }
      return entry.client.leased(() -> release(host, entry));
    }
  }

  /** Closes every client now, leased or not (tests, embedders shutting down). */
  public static void closeAll() {
    synchronized (CLIENTS) {
      CLIENTS.values().forEach(entry -> entry.client.shutdown());
      CLIENTS.clear();
    }
  }

  private static void release(String host, Entry entry) {
    synchronized (CLIENTS) {
      if (--entry.leases == 0 && CLIENTS.get(host) == entry) {
        entry.closing =
            CLOSER.schedule(() -> closeIfIdle(host, entry), IDLE_SECONDS, TimeUnit.SECONDS);
      }
    }
  }

  private static void closeIfIdle(String host, Entry entry) {
    synchronized (CLIENTS) {
      if (entry.leases == 0 && CLIENTS.get(host) == entry) {
        CLIENTS.remove(host);
        entry.client.shutdown();
      }
    }
  }

  private static final class Entry {
    final Docker client;
    int leases;
    ScheduledFuture<?> closing;

    Entry(Docker client) {
      this.client = client;
    }
  }
}
