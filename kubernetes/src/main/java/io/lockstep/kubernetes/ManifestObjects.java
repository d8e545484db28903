package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** How {@code applyManifest} names, compares and keeps objects. */
final class ManifestObjects {

  private ManifestObjects() {}

  /** {@code deployment.apps/tyk-gtw}, {@code service/tyk-svc}: kubectl's name for the object. */
  static String kubectlName(HasMetadata object) {
    String apiVersion = object.getApiVersion() == null ? "" : object.getApiVersion();
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : "." + apiVersion.substring(0, slash);
    return object.getKind().toLowerCase(Locale.ROOT) + group + "/" + object.getMetadata().getName();
  }

  /**
   * The object as a user wrote it: without what the server adds (status, resource version, uid,
   * managed fields, timestamps, generation). What the step saves and puts back.
   */
  static HasMetadata userPart(HasMetadata object) {
    HasMetadata copy = Serialization.clone(object);
    ObjectMeta meta = copy.getMetadata();
    meta.setResourceVersion(null);
    meta.setUid(null);
    meta.setManagedFields(null);
    meta.setCreationTimestamp(null);
    meta.setGeneration(null);
    meta.setSelfLink(null);
    try {
      copy.getClass().getMethod("setStatus", statusType(copy)).invoke(copy, (Object) null);
    } catch (ReflectiveOperationException e) {
      // a kind without status (ConfigMap, Secret)
    }
    return copy;
  }

  /**
   * Whether applying {@code desired} would change {@code current}: every field the manifest sets
   * has that value on the server already (fields the server defaults are not compared).
   */
  @SuppressWarnings("unchecked")
  static boolean unchanged(HasMetadata desired, HasMetadata current) {
    Map<String, Object> want = Serialization.unmarshal(Serialization.asJson(desired), Map.class);
    Map<String, Object> have =
        Serialization.unmarshal(Serialization.asJson(userPart(current)), Map.class);
    return contains(have, want);
  }

  @SuppressWarnings("unchecked")
  private static boolean contains(Object have, Object want) {
    if (want instanceof Map<?, ?> wantMap) {
      if (!(have instanceof Map<?, ?> haveMap)) {
        return false;
      }
      return wantMap.entrySet().stream()
          .allMatch(e -> contains(((Map<Object, Object>) haveMap).get(e.getKey()), e.getValue()));
    }
    if (want instanceof java.util.List<?> wantList) {
      if (!(have instanceof java.util.List<?> haveList) || haveList.size() != wantList.size()) {
        return false;
      }
      for (int i = 0; i < wantList.size(); i++) {
        if (!contains(haveList.get(i), wantList.get(i))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(String.valueOf(have), String.valueOf(want));
  }

  private static Class<?> statusType(HasMetadata object) throws NoSuchMethodException {
    return object.getClass().getMethod("getStatus").getReturnType();
  }
}
