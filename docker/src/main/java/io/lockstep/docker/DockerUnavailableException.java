package io.lockstep.docker;

import io.lockstep.steps.StepFailedException;

/** The Docker daemon did not answer at its endpoint: not running, wrong socket, no permission. */
public final class DockerUnavailableException extends StepFailedException {

  private static final long serialVersionUID = 1L;

  DockerUnavailableException(String host, String detail) {
    super(
        "cannot reach the Docker daemon at "
            + host
            + ": is it running?"
            + (detail == null || detail.isBlank() ? "" : " (" + detail + ")"));
  }
}
