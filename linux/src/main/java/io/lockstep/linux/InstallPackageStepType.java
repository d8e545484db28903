package io.lockstep.linux;

import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.ssh.RemoteHost;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code installPackage}: installs one version of a package on a Linux host over SSH, up or down,
 * with dpkg or rpm from a package file URL, or with apt, yum or dnf from the host's repositories;
 * optionally restarts a systemd unit afterwards and waits until it is active.
 *
 * <pre>{@code
 * installPackage 'gateway', package: 'tyk-gateway', version: params.version,
 *     url: 'http://packages/deb/tyk-gateway_{version}_amd64.deb', restart: 'tyk-gateway.service'
 * }</pre>
 *
 * Outputs {@code package}, {@code version}, {@code previousVersion} (empty when it was not
 * installed), {@code manager}, {@code host} and {@code changed}. Already at the version: nothing
 * changes. The undo installs the version installed before the same way (and restarts the unit), or
 * removes the package when there was none.
 */
public final class InstallPackageStepType implements StepType {

  private static final List<ArgSpec> ARGUMENTS =
      RemoteHost.withConnectionArguments(
          ArgSpec.required("package", String.class, "package name"),
          ArgSpec.required("version", String.class, "version to install"),
          ArgSpec.optional(
              "manager",
              String.class,
              null,
              "dpkg, rpm, apt, yum or dnf (default: target's packageManager, else dpkg or rpm as"
                  + " found)"),
          ArgSpec.optional(
              "url",
              String.class,
              null,
              "package file URL for dpkg and rpm, {version} replaced by the version"),
          ArgSpec.optional(
              "restart", String.class, null, "systemd unit to restart after installing"),
          ArgSpec.optional(
              "within",
              Duration.class,
              Duration.ofSeconds(30),
              "how long the restarted unit may take to become active"));

  @Override
  public String name() {
    return "installPackage";
  }

  @Override
  public String summary() {
    return "install a version of a package on a host (dpkg, rpm, apt, yum, dnf), optionally"
        + " restarting its unit";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    String prefix = "installPackage '" + id + "': ";
    Object pkg = required(prefix, args, "package");
    Object version = required(prefix, args, "version");
    Object manager = args.get("manager");
    if (manager instanceof String m && !Packages.MANAGERS.contains(m)) {
      throw new IllegalArgumentException(
          prefix + "manager must be one of dpkg, rpm, apt, yum, dnf; got '" + m + "'");
    }
    Duration within = StepArgs.duration(args, "within", Duration.ofSeconds(30));
    Install install =
        new Install(
            pkg,
            version,
            manager,
            args.get("url"),
            args.get("restart"),
            within,
            RemoteHost.connection(args));
    String restart =
        install.restart() == null ? "" : ", then restart " + StepArgs.display(install.restart());
    Step.Builder step =
        Step.builder(id, install::run)
            .type(name())
            .describe(
                "install "
                    + StepArgs.display(pkg)
                    + " "
                    + StepArgs.display(version)
                    + (manager == null ? "" : " with " + StepArgs.display(manager))
                    + restart
                    + RemoteHost.on(install.connection()))
            .compensation(
                Compensation.of(
                    "install the version installed before (previousVersion)"
                        + restart
                        + ", or remove "
                        + StepArgs.display(pkg)
                        + " if it was not installed",
                    install::undo))
            .probe(install::probe)
            .idempotent(true)
            .argument("package", StepArgs.display(pkg))
            .argument("version", StepArgs.display(version));
    if (manager != null) {
      step.argument("manager", StepArgs.display(manager));
    }
    if (install.url() != null) {
      step.argument("url", StepArgs.display(install.url()));
    }
    if (install.restart() != null) {
      step.argument("restart", StepArgs.display(install.restart()));
      step.argument("within", StepArgs.format(within));
    }
    install.connection().forEach((k, v) -> step.argument(k, StepArgs.display(v)));
    return step;
  }

  private static Object required(String prefix, Map<String, Object> args, String name) {
    Object value = StepArgs.text(args, name);
    if (value == null || value.toString().isBlank()) {
      throw new IllegalArgumentException(prefix + name + " must not be empty");
    }
    return value;
  }

  private record Install(
      Object pkg,
      Object version,
      Object manager,
      Object url,
      Object restart,
      Duration within,
      Map<String, Object> connection) {

    private record Resolved(
        RemoteHost host, String pkg, String version, String manager, String url, String unit) {}

    private Resolved resolve(StepContext ctx) throws Exception {
      String name = ctx.resolveText(pkg);
      String wanted = ctx.resolveText(version);
      String what = "installPackage " + name + " " + wanted;
      RemoteHost host = RemoteHost.resolve(ctx, connection, what);
      String m = manager == null ? null : ctx.resolveText(manager);
      if ((m == null || m.isBlank()) && ctx.target() != null) {
        m = ctx.target().attribute("packageManager");
      }
      if (m == null || m.isBlank()) {
        m = Packages.detect(host);
      }
      m = m.strip();
      if (!Packages.MANAGERS.contains(m)) {
        throw new StepFailedException(
            what + ": manager must be one of dpkg, rpm, apt, yum, dnf; got '" + m + "'");
      }
      return new Resolved(
          host,
          name,
          wanted,
          m,
          url == null ? null : ctx.resolveText(url),
          restart == null ? null : ctx.resolveText(restart));
    }

    Map<String, Object> run(StepContext ctx) throws Exception {
      Resolved r = resolve(ctx);
      String what = "installPackage " + r.pkg() + " " + r.version();
      String before = Packages.installed(r.host(), r.manager(), r.pkg());
      boolean changed = !Packages.matches(r.manager(), before, r.version());
      if (changed) {
        ctx.log(
            (before.isEmpty() ? "install " : verb(before, r.version()) + " from " + before + " to ")
                + r.pkg()
                + " "
                + r.version()
                + " on "
                + r.host().address()
                + " with "
                + r.manager());
        boolean[] restarting = {false};
        try {
          Packages.install(r.host(), r.manager(), r.pkg(), r.version(), r.url(), before, what);
          String now = Packages.installed(r.host(), r.manager(), r.pkg());
          if (!Packages.matches(r.manager(), now, r.version())) {
            throw new StepFailedException(
                what
                    + ": after installing, "
                    + r.host().address()
                    + " has "
                    + (now.isEmpty() ? "no " + r.pkg() : r.pkg() + " " + now));
          }
          if (r.unit() != null) {
            restarting[0] = true;
            restart(ctx, r, what);
          }
        } catch (StepFailedException e) {
          // A failed step is not compensated: put the host back as it was before failing, as
          // recreateContainer does, so a rollback of the run finds every host on a known version.
          throw putBack(ctx, r, before, restarting[0], what, e);
        }
      } else {
        ctx.log(r.pkg() + " " + before + " is already installed on " + r.host().address());
      }
      return outputs(r, before, changed);
    }

    Optional<Map<String, Object>> probe(StepContext ctx) throws Exception {
      Resolved r = resolve(ctx);
      String now = Packages.installed(r.host(), r.manager(), r.pkg());
      if (!Packages.matches(r.manager(), now, r.version())) {
        return Optional.empty();
      }
      // The version before is not known any more: the undo leaves the package as it is.
      return Optional.of(outputs(r, now, false));
    }

    Map<String, Object> undo(StepContext ctx) throws Exception {
      Map<String, Object> own = ctx.ownOutputs();
      if (!Boolean.TRUE.equals(own.get("changed"))) {
        ctx.log("installPackage changed nothing: nothing to undo");
        return Map.of();
      }
      Resolved r = resolve(ctx);
      String previous = String.valueOf(own.getOrDefault("previousVersion", ""));
      String manager = String.valueOf(own.getOrDefault("manager", r.manager()));
      String installed = String.valueOf(own.getOrDefault("version", r.version()));
      String what = "undo installPackage " + r.pkg() + " " + installed;
      if (previous.isEmpty()) {
        ctx.log("remove " + r.pkg() + " on " + r.host().address() + " (it was not installed)");
        Packages.remove(r.host(), manager, r.pkg(), what);
        return Map.of();
      }
      ctx.log(
          verb(installed, previous)
              + " "
              + r.pkg()
              + " to "
              + previous
              + " on "
              + r.host().address());
      if (!Packages.matches(manager, Packages.installed(r.host(), manager, r.pkg()), previous)) {
        Packages.install(r.host(), manager, r.pkg(), previous, r.url(), installed, what);
      }
      if (r.unit() != null) {
        restart(ctx, r, what);
      }
      return Map.of();
    }

    private StepFailedException putBack(
        StepContext ctx,
        Resolved r,
        String before,
        boolean restarted,
        String what,
        StepFailedException failure)
        throws InterruptedException {
      String now;
      try {
        now = Packages.installed(r.host(), r.manager(), r.pkg());
        if (Packages.matches(r.manager(), now, before) && !restarted) {
          return failure; // the install failed before changing anything (a download, say)
        }
        ctx.log(
            "putting "
                + (before.isEmpty() ? "the host without " + r.pkg() : r.pkg() + " " + before)
                + " back on "
                + r.host().address());
        if (before.isEmpty()) {
          Packages.remove(r.host(), r.manager(), r.pkg(), what);
        } else {
          if (!Packages.matches(r.manager(), now, before)) {
            Packages.install(r.host(), r.manager(), r.pkg(), before, r.url(), now, what);
          }
          if (r.unit() != null) {
            restart(ctx, r, what);
          }
        }
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception again) {
        return new StepFailedException(
            failure.getMessage()
                + "; putting "
                + r.pkg()
                + " "
                + (before.isEmpty() ? "(not installed)" : before)
                + " back failed too: "
                + again.getMessage(),
            failure);
      }
      return new StepFailedException(
          failure.getMessage()
              + (before.isEmpty()
                  ? " (" + r.pkg() + " is removed again)"
                  : " (" + r.pkg() + " " + before + " runs again)"),
          failure);
    }

    private void restart(StepContext ctx, Resolved r, String what) throws Exception {
      ctx.log("restart " + r.unit() + " on " + r.host().address());
      Systemd.act(r.host(), "restart", r.unit(), what);
      Systemd.awaitActive(ctx, r.host(), r.unit(), within, what);
      ctx.log(r.unit() + " is active on " + r.host().address());
    }

    private static String verb(String from, String to) {
      return VersionOrder.compare(to, from) < 0 ? "downgrade" : "upgrade";
    }

    private static Map<String, Object> outputs(Resolved r, String before, boolean changed) {
      Map<String, Object> outputs = new LinkedHashMap<>();
      outputs.put("package", r.pkg());
      outputs.put("version", r.version());
      outputs.put("previousVersion", before);
      outputs.put("manager", r.manager());
      outputs.put("host", r.host().host());
      outputs.put("changed", changed);
      return outputs;
    }
  }
}
