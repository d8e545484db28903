package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepFailedException;
import java.util.Map;

/**
 * Undoes what {@code applyManifest} did to one object: deletes it when the step created it, puts
 * its previous state back when the step changed it. An object whose fields set by the manifest
 * changed since the step wrote it holds someone else's change: the undo refuses rather than discard
 * it.
 */
final class ManifestUndo {

  private final KubeCluster cluster;
  private final KubernetesClient client;
  private final Map<String, Object> entry;
  private final String name;
  private final String namespace;

  ManifestUndo(KubeCluster cluster, KubernetesClient client, Map<String, Object> entry) {
    this.cluster = cluster;
    this.client = client;
    this.entry = entry;
    this.name = String.valueOf(entry.get("object"));
    this.namespace = String.valueOf(entry.get("namespace"));
  }

  /** Undoes the entry; returns {@code deployment.apps/x restored} or {@code null} for nothing. */
  String run(StepContext ctx) {
    String action = String.valueOf(entry.get("action"));
    if ("unchanged".equals(action)) {
      return null;
    }
    HasMetadata current = current();
    if ("created".equals(action)) {
      if (current == null) {
        ctx.log(name + " is already gone");
        return null;
      }
      refuseIfChanged(current, "delete it");
      KubeCalls.call(cluster, client, "delete " + name, () -> client.resource(current).delete());
      ctx.log("deleted " + name + " (namespace " + namespace + "), which the step created");
      return name + " deleted";
    }
    HasMetadata previous = Serialization.unmarshal(String.valueOf(entry.get("previous")));
    if (current == null) {
      throw new StepFailedException(
          "refusing to put back "
              + name
              + " (namespace "
              + namespace
              + "): someone deleted it since the step changed it; recreate it by hand if it"
              + " should return, then run the rollback again");
    }
    if (ManifestObjects.unchanged(previous, current)) {
      ctx.log(name + " is already as it was before the step");
      return null;
    }
    refuseIfChanged(current, "put its previous state back");
    previous.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
    KubeCalls.call(
        cluster,
        client,
        "restore " + name,
        () -> client.resource(previous).inNamespace(namespace).update());
    ctx.log("put " + name + " (namespace " + namespace + ") back as it was before the step");
    return name + " restored";
  }

  /** The object as the server has it now, found by the kind and name the step recorded. */
  private HasMetadata current() {
    HasMetadata reference =
        Serialization.unmarshal(
            Serialization.asJson(
                Map.of(
                    "apiVersion", entry.get("apiVersion"),
                    "kind", entry.get("kind"),
                    "metadata", Map.of("name", entry.get("name"), "namespace", namespace))),
            HasMetadata.class);
    return KubeCalls.call(
        cluster,
        client,
        "read " + name,
        () -> client.resource(reference).inNamespace(namespace).get());
  }

  /**
   * Refuses when a field the manifest set no longer has the manifest's value: someone changed the
   * object since. Status writes, defaults the server filled in and fields the manifest does not set
   * are not someone's change, so the resource version is not compared.
   */
  private void refuseIfChanged(HasMetadata current, String what) {
    HasMetadata applied = Serialization.unmarshal(String.valueOf(entry.get("applied")));
    if (!ManifestObjects.unchanged(applied, current)) {
      throw new StepFailedException(
          "refusing to "
              + what
              + ": "
              + name
              + " (namespace "
              + namespace
              + ") was changed after the step applied it: a field the manifest sets has another"
              + " value now; compare it with the manifest, undo by hand, then run the rollback"
              + " again");
    }
  }
}
