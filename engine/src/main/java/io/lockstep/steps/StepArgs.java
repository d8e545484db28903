package io.lockstep.steps;

import io.lockstep.engine.model.OutputRef;
import io.lockstep.engine.model.SecretRef;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.model.Template;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reading the checked arguments a {@link io.lockstep.engine.spi.StepType} receives, and showing
 * them in plans. Values may still hold {@link SecretRef} and {@link Template}: they are shown by
 * name here and resolved only inside actions.
 */
public final class StepArgs {

  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

  private StepArgs() {}

  /** A string-like argument (plain, secret or template), unresolved, or {@code null}. */
  public static Object text(Map<String, Object> args, String name) {
    return args.get(name);
  }

  public static int integer(Map<String, Object> args, String name, int fallback) {
    Object value = args.get(name);
    return value instanceof Number n ? n.intValue() : fallback;
  }

  public static Duration duration(Map<String, Object> args, String name, Duration fallback) {
    Object value = args.get(name);
    return value instanceof Duration d ? d : fallback;
  }

  public static List<?> list(Map<String, Object> args, String name) {
    Object value = args.get(name);
    return value instanceof List<?> l ? l : null;
  }

  public static Map<?, ?> map(Map<String, Object> args, String name) {
    Object value = args.get(name);
    return value instanceof Map<?, ?> m ? m : Map.of();
  }

  /**
   * Compiles the regular expressions of a list argument.
   *
   * @throws IllegalArgumentException naming the argument and index of a bad expression
   */
  public static List<Pattern> patterns(String argument, List<?> regexes) {
    if (regexes == null) {
      return List.of();
    }
    Pattern[] compiled = new Pattern[regexes.size()];
    for (int i = 0; i < compiled.length; i++) {
      compiled[i] = pattern(argument + "[" + i + "]", String.valueOf(regexes.get(i)));
    }
    return List.of(compiled);
  }

  /** Compiles one regular expression, naming the argument when it is invalid. */
  public static Pattern pattern(String argument, String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          argument + ": invalid regular expression '" + regex + "': " + e.getDescription(), e);
    }
  }

  /**
   * A value as plans show it: secrets and templates by name, durations as {@code 500ms}, lists and
   * maps converted element by element, so the result is a JSON value.
   */
  public static Object display(Object value) {
    if (value instanceof SecretRef || value instanceof OutputRef || value instanceof Template) {
      return value.toString();
    }
    if (value instanceof Duration d) {
      return format(d);
    }
    if (value instanceof List<?> list) {
      return list.stream().map(StepArgs::display).toList();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> shown = new LinkedHashMap<>();
      map.forEach((k, v) -> shown.put(String.valueOf(k), display(v)));
      return shown;
    }
    return value;
  }

  /** {@code 500ms}, {@code 1s}, {@code 2m}, {@code 1h30m}: the way playbooks write durations. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.toMillisPart() != 0 || d.toMillis() < 1000) {
      return d.toMillis() + "ms";
    }
    StringBuilder text = new StringBuilder();
    if (d.toHours() > 0) {
      text.append(d.toHours()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      text.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0) {
      text.append(d.toSecondsPart()).append('s');
    }
    return text.toString();
  }

  /** A path argument resolved inside an action: relative paths against the playbook's base. */
  public static Path path(StepContext ctx, Object value) {
    Path path = Path.of(ctx.resolveText(value));
    return (path.isAbsolute() ? path : ctx.baseDir().resolve(path)).toAbsolutePath().normalize();
  }

  /**
   * A step id as a single file name: characters other than letters, digits, {@code .}, {@code _}
   * and {@code -} become {@code _}, and a short hash of the id is appended when anything was
   * replaced, so {@code a/b} and {@code a_b} never share a directory.
   */
  public static String fileName(String stepId) {
    String safe = UNSAFE.matcher(stepId).replaceAll("_");
    if (safe.equals(stepId) && !safe.startsWith(".")) {
      return safe;
    }
    return safe.replaceFirst("^\\.", "_") + "-" + sha256Hex(stepId).substring(0, 8);
  }

  static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
