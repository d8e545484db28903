package io.lockstep.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ContainerResource;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.lockstep.engine.model.Cancellation;
import io.lockstep.steps.StepFailedException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a command in a pod's container over the API server's exec stream, as {@code kubectl exec}.
 *
 * <p>The exec protocol fabric8 speaks ({@code v4.channel.k8s.io}) cannot close a command's stdin
 * alone: a command reading its input to the end would wait for ever. Callers therefore feed stdin
 * only to commands that stop after a known number of bytes ({@code head -c N}).
 */
final class PodExec {

  private static final long POLL_MILLIS = 50;

  private final KubeCluster cluster;
  private final KubernetesClient client;
  private final String namespace;
  private final String pod;
  private final String container;

  PodExec(
      KubeCluster cluster,
      KubernetesClient client,
      String namespace,
      String pod,
      String container) {
    this.cluster = cluster;
    this.client = client;
    this.namespace = namespace;
    this.pod = pod;
    this.container = container;
  }

  /** {@code in pod x (container y, namespace z)}, for messages. */
  String where() {
    return "in pod "
        + pod
        + " ("
        + (container == null ? "" : "container " + container + ", ")
        + "namespace "
        + namespace
        + ")";
  }

  /**
   * Runs {@code argv} to its end.
   *
   * @param stdin what the command reads, or {@code null}; see the class comment
   * @return the exit code
   * @throws java.util.concurrent.CancellationException when {@code cancellation} fires (the exec
   *     stream is closed)
   */
  int run(
      List<String> argv,
      InputStream stdin,
      OutputStream stdout,
      OutputStream stderr,
      Cancellation cancellation)
      throws InterruptedException {
    String what = "run " + argv.get(0) + " " + where();
    ContainerResource target =
        container == null
            ? client.pods().inNamespace(namespace).withName(pod)
            : client.pods().inNamespace(namespace).withName(pod).inContainer(container);
    ExecWatch watch =
        KubeCalls.call(
            cluster,
            client,
            what,
            () ->
                (stdin == null ? target : target.redirectingInput())
                    .writingOutput(stdout)
                    .writingError(stderr)
                    .exec(argv.toArray(String[]::new)));
    Thread feeder = stdin == null ? null : feed(stdin, watch, what);
    try (watch) {
      while (true) {
        cancellation.throwIfCancelled();
        try {
          Integer code = watch.exitCode().get(POLL_MILLIS, TimeUnit.MILLISECONDS);
          if (code == null) {
            throw new StepFailedException(what + ": the API server reported no exit code");
          }
          if (feeder != null) {
            feeder.join(POLL_MILLIS);
          }
          return code;
        } catch (TimeoutException e) {
          // still running
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof KubernetesClientException k) {
            throw KubeCalls.translate(cluster, client, what, k);
          }
          throw new StepFailedException("cannot " + what + ": " + cause, cause);
        }
      }
    }
  }

  /**
   * Copies {@code stdin} into the exec's input on a thread of its own, without closing it: the
   * protocol has no way to say the input ended (fabric8's own pump logs an error when the command
   * exits first). A command that stops reading early ends the copy with an ignored error.
   */
  private static Thread feed(InputStream stdin, ExecWatch watch, String what) {
    Thread feeder =
        new Thread(
            () -> {
              try {
                stdin.transferTo(watch.getInput());
                watch.getInput().flush();
              } catch (java.io.IOException | RuntimeException e) {
                // the command exited, or the stream closed: its exit code tells the caller
              }
            },
            "exec-stdin " + what);
    feeder.setDaemon(true);
    feeder.start();
    return feeder;
  }
}
