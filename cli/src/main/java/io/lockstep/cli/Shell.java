package io.lockstep.cli;

import java.util.regex.Pattern;

/** Quoting for commands the CLI prints for the user to copy. */
final class Shell {

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private Shell() {}

  /** The word as POSIX shells read it back: unchanged when safe, else single-quoted. */
  static String quote(String word) {
    if (SAFE.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
