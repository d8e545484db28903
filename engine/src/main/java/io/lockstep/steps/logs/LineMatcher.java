package io.lockstep.steps.logs;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A pattern plus a literal every match must contain, found by a conservative look at the regex
 * ({@code panic} in {@code (?i)\bpanic\b}). {@link String#indexOf} rules out most lines far faster
 * than the regex engine, which then confirms the rest; without a safe literal the regex runs alone.
 */
final class LineMatcher {

  private static final String QUANTIFIERS = "*?+{";

  private final Pattern pattern;
  private final String literal;
  private final boolean folded;

  LineMatcher(Pattern pattern) {
    this.pattern = pattern;
    boolean insensitive = (pattern.flags() & Pattern.CASE_INSENSITIVE) != 0;
    String regex = pattern.pattern();
    if (regex.startsWith("(?i)")) {
      insensitive = true;
      regex = regex.substring(4);
    }
    String required =
        (pattern.flags() & (Pattern.COMMENTS | Pattern.LITERAL | Pattern.UNICODE_CASE)) != 0
            ? null
            : requiredLiteral(regex);
    if (required != null && insensitive && !required.chars().allMatch(c -> c < 128)) {
      required = null;
    }
    this.folded = insensitive && required != null && !required.isEmpty();
    this.literal =
        required == null || required.isEmpty()
            ? null
            : folded ? required.toLowerCase(Locale.ROOT) : required;
  }

  Pattern pattern() {
    return pattern;
  }

  /** Whether lines must be lower-cased (ASCII) for this matcher's pre-check. */
  boolean folded() {
    return folded;
  }

  /**
   * @param lower {@code line} lower-cased when {@link #folded()}, else ignored
   */
  boolean find(String line, String lower) {
    if (literal != null) {
      if ((folded ? lower : line).indexOf(literal) < 0) {
        return false;
      }
    }
    return pattern.matcher(line).find();
  }

  /**
   * The longest run of literal characters outside any group that every match contains, {@code ""}
   * when there is none, or {@code null} when the regex uses syntax this look does not follow.
   */
  static String requiredLiteral(String regex) {
    String best = "";
    StringBuilder run = new StringBuilder();
    int depth = 0;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        if (i + 1 >= regex.length()) {
          return null;
        }
        char next = regex.charAt(++i);
        if (Character.isLetterOrDigit(next)) {
          if ("bBdDwWsSAzZG".indexOf(next) < 0) {
            return null;
          }
          best = longer(best, run, depth);
        } else {
          run.append(next);
        }
      } else if (c == '|' || c == '(' && i + 1 < regex.length() && regex.charAt(i + 1) == '?') {
        return null;
      } else if (QUANTIFIERS.indexOf(c) >= 0) {
        if (c != '+' && run.length() > 0) {
          run.setLength(run.length() - 1);
        }
        best = longer(best, run, depth);
        if (c == '{') {
          i = regex.indexOf('}', i);
          if (i < 0) {
            return null;
          }
        }
      } else if (c == '[') {
        best = longer(best, run, depth);
        i = classEnd(regex, i);
        if (i < 0) {
          return null;
        }
      } else if (c == '(' || c == ')') {
        best = longer(best, run, depth);
        depth += c == '(' ? 1 : -1;
      } else if (c == '.' || c == '^' || c == '$') {
        best = longer(best, run, depth);
      } else {
        run.append(c);
      }
    }
    return longer(best, run, depth);
  }

  private static String longer(String best, StringBuilder run, int depth) {
    String candidate = depth == 0 && run.length() > best.length() ? run.toString() : best;
    run.setLength(0);
    return candidate;
  }

  /** Index of the {@code ]} closing the class opened at {@code open}, or -1. */
  private static int classEnd(String regex, int open) {
    int i = open + 1;
    if (i < regex.length() && regex.charAt(i) == '^') {
      i++;
    }
    if (i < regex.length() && regex.charAt(i) == ']') {
      i++;
    }
    for (; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[') {
        return -1;
      } else if (c == ']') {
        return i;
      }
    }
    return -1;
  }
}
