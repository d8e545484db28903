package io.lockstep.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Calls to the API server with fabric8's exceptions turned into messages for the user: which
 * server, what failed, and what to check. Without this, an unreachable server shows as a stack of
 * Vert.x exceptions.
 */
final class KubeCalls {

  private KubeCalls() {}

  /**
   * Runs {@code call}.
   *
   * @param what what the call does, for messages: {@code read deployment tyk-gtw (namespace tyk)}
   * @throws StepFailedException when the server cannot be reached or refuses the call
   */
  static <T> T call(KubeCluster cluster, KubernetesClient client, String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      throw translate(cluster, client, what, e);
    }
  }

  static StepFailedException translate(
      KubeCluster cluster, KubernetesClient client, String what, KubernetesClientException e) {
    String server = client.getConfiguration().getMasterUrl();
    String where = cluster.describe(client);
    Throwable cause = rootCause(e);
    if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
      return new StepFailedException(
          "cannot "
              + what
              + ": the API server "
              + server
              + " ("
              + where
              + ") does not answer ("
              + cause.getMessage()
              + "); check that the cluster is up and that the kubeconfig names the right server",
          e);
    }
    if (cause instanceof TimeoutException
        || cause instanceof java.net.SocketTimeoutException
        || e.getCode() == 0 && cause instanceof IOException) {
      return new StepFailedException(
          "cannot "
              + what
              + ": the API server "
              + server
              + " ("
              + where
              + ") did not answer within "
              + io.lockstep.steps.StepArgs.format(cluster.requestTimeout())
              + " ("
              + cause
              + "); raise requestTimeout or check the connection to the cluster",
          e);
    }
    if (e.getCode() == 401 || e.getCode() == 403) {
      return new StepFailedException(
          "cannot "
              + what
              + ": the API server ("
              + where
              + ") refused it (HTTP "
              + e.getCode()
              + "): "
              + reason(e)
              + "; check the credentials and RBAC permissions of the kubeconfig's user",
          e);
    }
    return new StepFailedException("cannot " + what + " (" + where + "): " + reason(e), e);
  }

  /** The server's own words when it gave a status, else fabric8's message. */
  static String reason(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    return e.getMessage();
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }
}
