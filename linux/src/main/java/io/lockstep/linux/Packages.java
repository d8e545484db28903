package io.lockstep.linux;

import io.lockstep.ssh.RemoteHost;
import io.lockstep.steps.StepFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Querying, installing and removing a package with one of the managers {@code dpkg}, {@code rpm},
 * {@code apt}, {@code yum} and {@code dnf}, as root with {@code sudo -n}.
 *
 * <p>Versions: dpkg and apt report and take the Debian version ({@code 5.3.0}, {@code
 * 5.3.1-broken}). rpm, yum and dnf report {@code VERSION-RELEASE} ({@code 5.3.0-1}, {@code
 * 5.3.1-broken}); a wanted version without a dash pins the VERSION only and matches any release.
 */
final class Packages {

  static final Set<String> MANAGERS = Set.of("dpkg", "rpm", "apt", "yum", "dnf");

  /** Downloads $1 into a temporary file, then runs "$2..." with the file as last argument. */
  private static final String FETCH_AND_INSTALL =
      "set -e; url=$1; shift; tmp=$(mktemp /tmp/.lockstep-pkg-XXXXXX); trap 'rm -f -- \"$tmp\"'"
          + " EXIT; curl -fsSL --retry 2 -o \"$tmp\" -- \"$url\"; \"$@\" \"$tmp\"";

  private Packages() {}

  /** The manager named, else the target's {@code packageManager}, else dpkg or rpm as found. */
  static String detect(RemoteHost host) throws Exception {
    RemoteHost.Result r =
        host.script(
            "if command -v dpkg-query >/dev/null; then echo dpkg; "
                + "elif command -v rpm >/dev/null; then echo rpm; fi",
            List.of(),
            false,
            false);
    String found = r.stdout().strip();
    if (found.isEmpty()) {
      throw new StepFailedException(
          "no package manager found on "
              + host.address()
              + " (neither dpkg-query nor rpm); set manager on the step or packageManager on the"
              + " target");
    }
    return found;
  }

  static boolean debian(String manager) {
    return manager.equals("dpkg") || manager.equals("apt");
  }

  /** The installed version, or empty when the package is not installed. */
  static String installed(RemoteHost host, String manager, String pkg) throws Exception {
    if (debian(manager)) {
      RemoteHost.Result r =
          host.run(
              List.of("dpkg-query", "-W", "-f", "${db:Status-Abbrev}|${Version}", pkg),
              false,
              false);
      String out = r.stdout().strip();
      // "ii |5.3.0": installed; "rc |5.3.0": removed, only its configuration files left
      if (!r.ok() || !out.startsWith("i") || out.length() < 2 || out.charAt(1) != 'i') {
        return "";
      }
      return out.substring(out.indexOf('|') + 1).strip();
    }
    RemoteHost.Result r =
        host.run(List.of("rpm", "-q", "--qf", "%{VERSION}-%{RELEASE}", pkg), false, false);
    return r.ok() ? r.stdout().strip() : "";
  }

  /** Whether {@code installed} is {@code wanted}, by the rule in the class comment. */
  static boolean matches(String manager, String installed, String wanted) {
    if (installed.isEmpty()) {
      return false;
    }
    if (installed.equals(wanted)) {
      return true;
    }
    return !debian(manager) && !wanted.contains("-") && installed.startsWith(wanted + "-");
  }

  /**
   * Installs {@code version} of {@code pkg}: from {@code url} (with {@code {version}} replaced) for
   * dpkg and rpm, from the configured repositories for apt, yum and dnf.
   */
  static void install(
      RemoteHost host,
      String manager,
      String pkg,
      String version,
      String url,
      String from,
      String what)
      throws Exception {
    RemoteHost.Result r;
    switch (manager) {
      case "dpkg", "rpm" -> {
        if (url == null) {
          throw new StepFailedException(what + ": manager " + manager + " needs a url");
        }
        List<String> params = new ArrayList<>();
        params.add(url.replace("{version}", version));
        if (manager.equals("dpkg")) {
          params.addAll(List.of("dpkg", "-i", "--force-confdef", "--force-confold"));
        } else {
          params.addAll(List.of("rpm", "-Uvh"));
          if (!from.isEmpty() && VersionOrder.compare(version, from) < 0) {
            params.add("--oldpackage");
          }
        }
        r = host.script(FETCH_AND_INSTALL, params, true, true);
      }
      case "apt" ->
          r =
              host.script(
                  "set -e; export DEBIAN_FRONTEND=noninteractive; apt-get update -q;"
                      + " apt-get install -y -q --allow-downgrades -o Dpkg::Options::=--force-confold"
                      + " \"$1=$2\"",
                  List.of(pkg, version),
                  true,
                  true);
      default -> {
        String verb =
            !from.isEmpty() && VersionOrder.compare(version, from) < 0 ? "downgrade" : "install";
        // Expired metadata is fetched again, as apt-get update does: a version published since
        // the last run must be found. (yum 3 has no --refresh; clean expire-cache works in both.)
        r =
            host.script(
                "set -e; \"$1\" clean expire-cache -q >/dev/null; \"$1\" \"$2\" -y \"$3\"",
                List.of(manager, verb, pkg + "-" + version),
                true,
                true);
      }
    }
    if (!r.ok()) {
      throw new StepFailedException(
          what
              + ": installing "
              + pkg
              + " "
              + version
              + " on "
              + host.address()
              + " failed"
              + r.failure());
    }
  }

  /** Removes the package (dpkg -r, rpm -e, apt-get remove, yum/dnf remove). */
  static void remove(RemoteHost host, String manager, String pkg, String what) throws Exception {
    List<String> argv =
        switch (manager) {
          case "dpkg" -> List.of("dpkg", "-r", pkg);
          case "rpm" -> List.of("rpm", "-e", pkg);
          case "apt" -> List.of("apt-get", "remove", "-y", "-q", pkg);
          default -> List.of(manager, "remove", "-y", pkg);
        };
    RemoteHost.Result r = host.run(argv, true, true);
    if (!r.ok()) {
      throw new StepFailedException(
          what + ": removing " + pkg + " on " + host.address() + " failed" + r.failure());
    }
  }
}
