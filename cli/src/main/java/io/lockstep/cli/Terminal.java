package io.lockstep.cli;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Where the CLI writes, and what that place can show: Unicode symbols when the charset is UTF-8, a
 * live view redrawn with ANSI escapes only on an interactive terminal.
 *
 * @param out results (plans, tables, JSON); stays machine-readable with {@code --json}
 * @param err progress for people, errors and hints
 * @param unicode whether to print symbols such as ✓ (otherwise ASCII)
 * @param interactive whether the output is a terminal that understands ANSI escapes
 */
public record Terminal(PrintStream out, PrintStream err, boolean unicode, boolean interactive) {

  /** What the JVM's own console and environment tell. */
  public static Terminal detect(PrintStream out, PrintStream err) {
    return detect(out, err, System.getenv(), System.console() != null);
  }

  static Terminal detect(
      PrintStream out, PrintStream err, Map<String, String> env, boolean hasConsole) {
    String term = env.getOrDefault("TERM", "");
    boolean interactive = hasConsole && !term.equals("dumb") && !env.containsKey("NO_COLOR");
    return new Terminal(out, err, isUtf8(outputCharset(env)), interactive);
  }

  /** The charset standard output is encoded in. */
  static Charset outputCharset(Map<String, String> env) {
    if ("1".equals(env.get("LOCKSTEP_ASCII"))) {
      return StandardCharsets.US_ASCII;
    }
    for (String key : new String[] {"sun.stdout.encoding", "native.encoding", "file.encoding"}) {
      String name = System.getProperty(key);
      if (name != null && Charset.isSupported(name)) {
        return Charset.forName(name);
      }
    }
    return Charset.defaultCharset();
  }

  private static boolean isUtf8(Charset charset) {
    return charset.equals(StandardCharsets.UTF_8);
  }

  /** Picks the Unicode or the ASCII form of a symbol. */
  public String sym(Symbol symbol) {
    return unicode ? symbol.unicode : symbol.ascii;
  }

  /** Symbols used in progress lines, plans and tables, with their ASCII fallback. */
  public enum Symbol {
    OK("✓", "+"),
    FAIL("✗", "x"),
    START("→", ">"),
    SKIP("=", "="),
    RETRY("⟳", "~"),
    UNDO("↺", "<"),
    PAUSE("⏸", "||"),
    DECIDE("?", "?"),
    RUN("▶", ">>"),
    END("■", "#"),
    WARN("⚠", "!"),
    PIPE("│", "|"),
    DASH("—", "-"),
    TREE_MID("├─ ", "+- "),
    TREE_LAST("└─ ", "`- "),
    TREE_BAR("│  ", "|  ");

    final String unicode;
    final String ascii;

    Symbol(String unicode, String ascii) {
      this.unicode = unicode;
      this.ascii = ascii;
    }
  }
}
