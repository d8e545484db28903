package io.lockstep.cli;

/** ANSI emphasis, only on an interactive terminal; plain text everywhere else. */
final class Style {

  private final boolean on;

  Style(Terminal terminal, boolean json) {
    this.on = terminal.interactive() && !json;
  }

  String bold(String s) {
    return wrap("1", s);
  }

  String dim(String s) {
    return wrap("2", s);
  }

  String red(String s) {
    return wrap("31", s);
  }

  String green(String s) {
    return wrap("32", s);
  }

  String yellow(String s) {
    return wrap("33", s);
  }

  private String wrap(String code, String s) {
    return on ? "\033[" + code + "m" + s + "\033[0m" : s;
  }
}
