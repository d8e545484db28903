package io.lockstep.database;

import java.util.List;
import java.util.Map;

/**
 * How every tool of one step reaches the server: the arguments that come first (host, port, user),
 * the environment, and a private file to delete at the end. The password travels in {@code env} or
 * in {@code file}, never in {@code args}.
 */
record Login(List<String> args, Map<String, String> env, Transport.PrivateFile file)
    implements AutoCloseable {

  Login {
    args = List.copyOf(args);
    env = Map.copyOf(env);
  }

  /** Leaves the environment's values out: it may hold the password. */
  @Override
  public String toString() {
    return "Login[args=" + args + ", env=" + env.keySet() + "]";
  }

  @Override
  public void close() {
    if (file != null) {
      file.close();
    }
  }
}
