package io.lockstep.helm;

import java.util.Map;

/** A chart's identity from its Chart.yaml; Helm names a release's chart {@code name-version}. */
record ChartInfo(String name, String version, String appVersion) {

  static ChartInfo parse(String chartYaml, String what) {
    Map<String, Object> chart = HelmYaml.map(chartYaml, what);
    Object appVersion = chart.get("appVersion");
    return new ChartInfo(
        String.valueOf(chart.get("name")),
        String.valueOf(chart.get("version")),
        appVersion == null ? "" : String.valueOf(appVersion));
  }

  String nameVersion() {
    return name + "-" + version;
  }
}
