package io.lockstep.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The cluster and namespace a step works in, resolved at run time. Each setting comes from the
 * step's argument, else the target's attribute of the same name:
 *
 * <ul>
 *   <li>{@code kubeconfig}: the kubeconfig file, relative to the playbook; without it, fabric8's
 *       usual search ({@code KUBECONFIG}, {@code ~/.kube/config}, then the in-cluster service
 *       account), as {@code kubectl} does;
 *   <li>{@code context}: the context in it; without it, the file's {@code current-context};
 *   <li>{@code namespace}: without it, the context's namespace, else {@code default};
 *   <li>{@code requestTimeout}: the limit on each call to the API server, 30 seconds by default.
 * </ul>
 *
 * <p>A run shares one client per kubeconfig and context ({@link #client}).
 *
 * @param kubeconfig the file, or {@code null} for fabric8's search
 * @param context the context, or {@code null} for the current one
 */
public record KubeCluster(
    Path kubeconfig, String context, String namespace, Duration requestTimeout) {

  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** The cluster settings every Kubernetes step takes, each also read from its target. */
  public static final List<ArgSpec> ARGUMENTS =
      List.of(
          ArgSpec.optional(
              "kubeconfig",
              String.class,
              null,
              "kubeconfig file (else the target's, else KUBECONFIG, ~/.kube/config or in-cluster)"),
          ArgSpec.optional(
              "context", String.class, null, "kubeconfig context (else its current-context)"),
          ArgSpec.optional(
              "namespace", String.class, null, "namespace (else the context's, else default)"),
          // No default filled in here: an argument left out must stay out, so that a restore
          // takes a backup's recorded transport arguments whole (and the target's value counts).
          ArgSpec.optional(
              "requestTimeout",
              Duration.class,
              null,
              "limit on each call to the API server (else the target's, else 30 seconds)"));

  /** The names of {@link #ARGUMENTS}, which steps read through {@link #resolve}. */
  public static final List<String> SETTINGS =
      List.of("kubeconfig", "context", "namespace", "requestTimeout");

  /**
   * Resolves the settings of one step.
   *
   * @param what the step as messages name it
   * @throws StepFailedException when the kubeconfig file does not exist or a value is malformed
   */
  public static KubeCluster resolve(StepContext ctx, Map<String, Object> args, String what) {
    String file = setting(ctx, args, "kubeconfig");
    Path kubeconfig = null;
    if (file != null) {
      kubeconfig = path(ctx, file);
      if (!Files.isRegularFile(kubeconfig)) {
        throw new StepFailedException(
            what
                + ": kubeconfig "
                + kubeconfig
                + " does not exist; set kubeconfig on the step or its target to the cluster's"
                + " kubeconfig file");
      }
    }
    Duration timeout = requestTimeout(ctx, args, what);
    String context = setting(ctx, args, "context");
    String namespace = setting(ctx, args, "namespace");
    return new KubeCluster(kubeconfig, context, namespace, timeout);
  }

  /** {@code context c of /path/kubeconfig}, as messages name the cluster. */
  public String describe() {
    return (context == null ? "current context" : "context " + context)
        + " of "
        + (kubeconfig == null ? "the default kubeconfig" : kubeconfig.toString());
  }

  /**
   * {@code context fake of /path/kubeconfig}, naming the context the client actually uses when the
   * step named none: a user reading the message sees which cluster was asked.
   */
  public String describe(KubernetesClient client) {
    if (context != null || client.getConfiguration().getCurrentContext() == null) {
      return describe();
    }
    return "context "
        + client.getConfiguration().getCurrentContext().getName()
        + " of "
        + (kubeconfig == null ? "the default kubeconfig" : kubeconfig.toString());
  }

  /** The key a run shares this cluster's client under. */
  String key() {
    return "kubernetes:" + kubeconfig + "#" + context + "#" + requestTimeout.toMillis();
  }

  /**
   * The run's client for this cluster, opened by the first step that asks. Its namespace is this
   * step's: callers use {@link #namespace(KubernetesClient)} rather than the client's default.
   */
  public KubernetesClient client(StepContext ctx) throws Exception {
    return ctx.resources().get(key(), KubernetesClient.class, this::open);
  }

  /** The namespace to work in: the setting, else the context's, else {@code default}. */
  public String namespace(KubernetesClient client) {
    if (namespace != null) {
      return namespace;
    }
    String fromContext = client.getConfiguration().getNamespace();
    return fromContext == null || fromContext.isBlank() ? "default" : fromContext;
  }

  /** The fabric8 configuration: the kubeconfig's context, with this cluster's timeouts. */
  public Config config() {
    Config config;
    if (kubeconfig == null) {
      config = Config.autoConfigure(context);
    } else {
      String contents;
      try {
        contents = Files.readString(kubeconfig);
      } catch (IOException e) {
        throw new StepFailedException("cannot read kubeconfig " + kubeconfig + ": " + e, e);
      }
      try {
        config = Config.fromKubeconfig(context, contents, kubeconfig.toString());
      } catch (RuntimeException e) {
        throw new StepFailedException(
            "kubeconfig "
                + kubeconfig
                + (context == null ? "" : " has no usable context '" + context + "'")
                + ": "
                + e.getMessage(),
            e);
      }
    }
    int millis = (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis());
    config.setRequestTimeout(millis);
    config.setConnectionTimeout(millis);
    config.setUploadRequestTimeout(millis);
    // Retries hide an unreachable server behind minutes of backoff; a step's own wait retries.
    config.setRequestRetryBackoffLimit(0);
    return config;
  }

  private KubernetesClient open() {
    return new KubernetesClientBuilder().withConfig(config()).build();
  }

  private static String setting(StepContext ctx, Map<String, Object> args, String name) {
    Object arg = args.get(name);
    String value = arg == null ? null : ctx.resolveText(arg);
    if ((value == null || value.isBlank()) && ctx.target() != null) {
      value = ctx.target().attribute(name);
    }
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static Duration requestTimeout(StepContext ctx, Map<String, Object> args, String what) {
    Object value = args.get("requestTimeout");
    if (value == null && ctx.target() != null) {
      value = ctx.target().attributes().get("requestTimeout");
    }
    if (value == null) {
      return DEFAULT_REQUEST_TIMEOUT;
    }
    if (value instanceof Duration d) {
      return d;
    }
    if (value instanceof Number seconds) {
      return Duration.ofSeconds(seconds.longValue());
    }
    throw new StepFailedException(
        what + ": requestTimeout must be a duration such as 30.seconds, got '" + value + "'");
  }

  private static Path path(StepContext ctx, String text) {
    Path path =
        text.startsWith("~/")
            ? Path.of(System.getProperty("user.home")).resolve(text.substring(2))
            : Path.of(text);
    return (path.isAbsolute() ? path : ctx.baseDir().resolve(path)).toAbsolutePath().normalize();
  }
}
