package io.lockstep.ssh;

import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepFailedException;

/**
 * The connection a step uses: the run's shared one for its user, host and port, opened by the first
 * step that needs it. A connection found dead before anything ran on it is replaced once; one that
 * dies while a command runs is dropped so the next step connects again, but the step fails, because
 * nobody knows how far the command got.
 */
final class SshConnections {

  /** What a step does with the connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(SshConnection connection) throws Exception;
  }

  private SshConnections() {}

  static <T> T use(StepContext ctx, SshTarget target, Work<T> work) throws Exception {
    SshConnection connection = get(ctx, target);
    if (!connection.isOpen()) {
      ctx.resources().discard(target.key());
      ctx.log("ssh " + target.address() + ": the connection had closed; connecting again");
      connection = get(ctx, target);
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return work.run(connection);
      } catch (SshConnection.Lost lost) {
        ctx.resources().discard(target.key());
        if (attempt == 2) {
          throw new StepFailedException(lost.getMessage() + " twice in a row; giving up", lost);
        }
        ctx.log("ssh " + target.address() + ": the connection was lost; connecting again");
        connection = get(ctx, target);
      } catch (Exception | Error e) {
        if (!connection.isOpen()) {
          ctx.resources().discard(target.key());
        }
        throw e;
      }
    }
  }

  private static SshConnection get(StepContext ctx, SshTarget target) throws Exception {
    return ctx.resources()
        .get(
            target.key(),
            SshConnection.class,
            () -> SshConnection.open(target, passphrase(ctx, target)));
  }

  private static String passphrase(StepContext ctx, SshTarget target) {
    return target.passphraseSecret() == null ? null : ctx.secret(target.passphraseSecret());
  }
}
