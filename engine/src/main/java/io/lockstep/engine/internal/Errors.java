package io.lockstep.engine.internal;

/** One-line descriptions of failures for journals, events and reports. */
final class Errors {

  private Errors() {}

  static String describe(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    boolean plainJdkFailure =
        e.getClass().getName().startsWith("java.")
            && !(e instanceof IllegalArgumentException)
            && !(e instanceof IllegalStateException)
            && !(e instanceof java.io.IOException);
    return plainJdkFailure ? e.getClass().getSimpleName() + ": " + message : message;
  }
}
