package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code applyManifest}: creates or updates the objects of a manifest file or directory, as {@code
 * kubectl apply -f .} in the Tyk gateway guide.
 *
 * <pre>{@code
 * applyManifest 'gateway', file: 'tyk-oss-k8s-deployment', namespace: 'tyk'
 * }</pre>
 *
 * <p>Before it writes an object, the step records the object as it was (absent, or its user part:
 * {@link ManifestObjects#userPart}) in {@code <artifacts>/<step id>/applied.json}. Outputs {@code
 * objects}, one line per object as kubectl prints them ({@code deployment.apps/tyk-gtw
 * configured}), and {@code record}, that file. The compensation goes through the objects in
 * reverse: it deletes what the step created and puts back what it changed, refusing an object
 * someone changed since (its resource version moved).
 */
public final class ApplyManifestStepType implements StepType {

  static final String NAME = "applyManifest";

  private static final List<ArgSpec> ARGUMENTS =
      Stream.concat(Stream.of(KubeArgs.FILE), KubeCluster.ARGUMENTS.stream()).toList();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "create or update the objects of a manifest, as kubectl apply (undone on rollback)";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    Object file = KubeArgs.required(NAME, id, args, "file");
    Map<String, Object> cluster = KubeArgs.cluster(args);
    return Step.builder(id, ctx -> apply(ctx, file, cluster))
        .type(NAME)
        .describe("apply the objects of " + StepArgs.display(file) + KubeArgs.inNamespace(args))
        .compensation(
            Compensation.of(
                "delete the objects it created and put back those it changed, in reverse order"
                    + " (refused for an object changed since)",
                ctx -> undo(ctx, cluster)))
        .idempotent(true)
        .argument("file", StepArgs.display(file));
  }

  private static Map<String, Object> apply(
      StepContext ctx, Object fileArg, Map<String, Object> cluster) throws Exception {
    Path path = StepArgs.path(ctx, fileArg);
    List<ManifestFiles.Document> documents = ManifestFiles.read(path);
    KubeCluster settings = KubeCluster.resolve(ctx, cluster, NAME + " '" + ctx.stepId() + "'");
    KubernetesClient client = settings.client(ctx);
    String namespace = settings.namespace(client);
    Path record = SavedState.file(ctx, "applied.json");
    Map<String, Object> earlier = SavedState.read(record);
    List<Map<String, Object>> applied = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (ManifestFiles.Document document : documents) {
      HasMetadata desired = document.object();
      String name = ManifestObjects.kubectlName(desired);
      String ns =
          desired.getMetadata().getNamespace() == null
              ? namespace
              : desired.getMetadata().getNamespace();
      HasMetadata current =
          KubeCalls.call(
              settings,
              client,
              "read " + name,
              () -> client.resource(desired).inNamespace(ns).get());
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("object", name);
      entry.put("namespace", ns);
      entry.put("apiVersion", desired.getApiVersion());
      entry.put("kind", desired.getKind());
      entry.put("name", desired.getMetadata().getName());
      // What the manifest set, to tell later whether someone else changed those fields: the
      // resource version moves with every status write of the object's controller too.
      entry.put("applied", Serialization.asJson(desired));
      String action;
      HasMetadata written = current;
      if (current == null) {
        action = "created";
        written =
            KubeCalls.call(
                settings,
                client,
                "create " + name,
                () -> client.resource(desired).inNamespace(ns).create());
      } else if (ManifestObjects.unchanged(desired, current)) {
        action = "unchanged";
      } else {
        action = "configured";
        entry.put("previous", Serialization.asJson(ManifestObjects.userPart(current)));
        desired.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
        written =
            KubeCalls.call(
                settings,
                client,
                "update " + name,
                () -> client.resource(desired).inNamespace(ns).update());
      }
      Map<String, Object> first = earlierEntry(earlier, name, ns);
      if (first != null && !"unchanged".equals(first.get("action"))) {
        // Run again in the same run: what the first run found is what the undo must restore.
        entry.put("action", first.get("action"));
        if (first.get("previous") != null) {
          entry.put("previous", first.get("previous"));
        }
      } else {
        entry.put("action", action);
      }
      applied.add(entry);
      lines.add(name + " " + action);
      ctx.log(
          name
              + " "
              + action
              + " (namespace "
              + ns
              + ", "
              + document.file().getFileName()
              + " document "
              + document.number()
              + ")");
      SavedState.write(record, Map.of("applied", applied));
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("objects", lines);
    outputs.put("record", record.toString());
    return outputs;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> earlierEntry(
      Map<String, Object> earlier, String name, String namespace) {
    if (earlier == null) {
      return null;
    }
    for (Map<String, Object> entry : (List<Map<String, Object>>) earlier.get("applied")) {
      if (name.equals(entry.get("object")) && namespace.equals(entry.get("namespace"))) {
        return entry;
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> undo(StepContext ctx, Map<String, Object> cluster)
      throws Exception {
    Path record = Path.of(String.valueOf(ctx.ownOutputs().get("record")));
    Map<String, Object> saved = SavedState.read(record);
    if (saved == null) {
      throw new StepFailedException(
          "cannot undo step '" + ctx.stepId() + "': its record " + record + " is missing");
    }
    KubeCluster settings = KubeCluster.resolve(ctx, cluster, NAME + " '" + ctx.stepId() + "'");
    KubernetesClient client = settings.client(ctx);
    List<Map<String, Object>> applied =
        new ArrayList<>((List<Map<String, Object>>) saved.get("applied"));
    java.util.Collections.reverse(applied);
    List<String> undone = new ArrayList<>();
    for (Map<String, Object> entry : applied) {
      String line = new ManifestUndo(settings, client, entry).run(ctx);
      if (line != null) {
        undone.add(line);
      }
    }
    return Map.of("objects", undone);
  }
}
