package io.lockstep.ssh;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Quoting for the remote POSIX shell. An SSH server hands the command to the user's shell as one
 * line, so every word is wrapped in single quotes, inside which the shell treats nothing as
 * special; a single quote in the value ends the quoting, adds an escaped quote and starts it again
 * ({@code '\''}). No value can end its word, start a command or expand.
 */
public final class ShellQuote {

  /**
   * Words that mean the same quoted or not, left bare so the line stays readable. No {@code =}: a
   * bare {@code A=b} in command position would be an assignment, not a program.
   */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:,+@%-]+");

  private ShellQuote() {}

  /** One word, quoted unless it holds only characters no shell treats specially. */
  public static String quote(String word) {
    if (!word.isEmpty() && PLAIN.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** The words joined with spaces, each quoted: a command line that runs exactly this argv. */
  public static String join(List<String> words) {
    StringBuilder line = new StringBuilder();
    for (String word : words) {
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(quote(word));
    }
    return line.toString();
  }
}
