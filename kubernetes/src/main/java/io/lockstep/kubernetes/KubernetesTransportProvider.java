package io.lockstep.kubernetes;

import io.lockstep.database.Transport;
import io.lockstep.database.TransportProvider;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code via: 'kubernetes'} for {@code backupDatabase} and {@code restoreDatabase}: the tools run
 * in a pod's container through the API server's exec stream ({@link KubernetesTransport}), in the
 * pod {@code pod}, or in the first ready pod of {@code workload} ({@code tyk-db} for a deployment,
 * {@code statefulset/tyk-db}). The database's {@code host} and {@code port} are then as the pod
 * sees them.
 *
 * <pre>{@code
 * backupDatabase 'portal-db', via: 'kubernetes', workload: 'statefulset/tyk-db', namespace: 'tyk',
 *     engine: 'postgres', host: '127.0.0.1', database: 'portal', user: 'portal',
 *     password: secret('dbPassword')
 * }</pre>
 */
public final class KubernetesTransportProvider implements TransportProvider {

  static final String NAME = "kubernetes";

  private static final List<ArgSpec> ARGUMENTS;

  static {
    List<ArgSpec> all = new ArrayList<>();
    all.add(ArgSpec.optional("pod", String.class, null, "via: 'kubernetes': the pod to run in"));
    all.add(
        ArgSpec.optional(
            "workload",
            String.class,
            null,
            "via: 'kubernetes': else the workload whose first ready pod to use: name (a"
                + " deployment) or statefulset/name"));
    all.add(
        ArgSpec.optional(
            "container",
            String.class,
            null,
            "container of the pod (via: 'docker': the container the tools run in)"));
    all.addAll(KubeCluster.ARGUMENTS);
    ARGUMENTS = List.copyOf(all);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public void check(Map<String, Object> args) {
    if ((args.get("pod") == null) == (args.get("workload") == null)) {
      throw new IllegalArgumentException(
          "via 'kubernetes' needs exactly one of pod (the pod's name) or workload (a deployment,"
              + " or statefulset/name: the tools run in its first ready pod)");
    }
    if (args.get("workload") != null) {
      target(args);
    }
  }

  @Override
  public String where(Map<String, Object> args) {
    return "in "
        + (args.get("container") == null
            ? ""
            : "container " + StepArgs.display(args.get("container")) + " of ")
        + target(args).describe()
        + KubeArgs.inNamespace(args);
  }

  @Override
  public Transport open(Map<String, Object> args, StepContext ctx) {
    try {
      KubeCluster cluster = KubeCluster.resolve(ctx, args, "via 'kubernetes'");
      var client = cluster.client(ctx);
      String pod = target(args).resolve(ctx, KubeArgs.cluster(args), "via 'kubernetes'");
      String container = ctx.resolveText(args.get("container"));
      return new KubernetesTransport(
          new PodExec(cluster, client, cluster.namespace(client), pod, container));
    } catch (StepFailedException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailedException("interrupted while finding the pod to run the tools in", e);
    } catch (Exception e) {
      throw new StepFailedException("via 'kubernetes': " + e.getMessage(), e);
    }
  }

  private static PodTarget target(Map<String, Object> args) {
    Object pod = args.get("pod");
    if (pod != null) {
      return new PodTarget(pod, WorkloadKind.DEPLOYMENT, null);
    }
    String workload = String.valueOf(args.get("workload"));
    int slash = workload.indexOf('/');
    if (slash < 0) {
      return new PodTarget(null, WorkloadKind.DEPLOYMENT, args.get("workload"));
    }
    return new PodTarget(
        null, WorkloadKind.of(workload.substring(0, slash)), workload.substring(slash + 1));
  }
}
