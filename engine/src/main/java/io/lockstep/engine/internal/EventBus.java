package io.lockstep.engine.internal;

import io.lockstep.engine.RunEvent;
import io.lockstep.engine.RunListener;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Delivers events to listeners and to the slf4j log (logger {@code io.lockstep.run}, with the run
 * and step ids in the MDC as {@code lockstep.run} and {@code lockstep.step}). A failing listener is
 * logged and skipped: it cannot break a run.
 */
final class EventBus {

  static final String MDC_RUN = "lockstep.run";
  static final String MDC_STEP = "lockstep.step";

  private static final Logger RUN_LOG = LoggerFactory.getLogger("io.lockstep.run");

  private final List<RunListener> listeners;

  EventBus(List<RunListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  void emit(RunEvent event) {
    log(event);
    for (RunListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        RUN_LOG.warn("listener {} failed on {}: {}", listener, event.type(), e.toString());
      }
    }
  }

  private static void log(RunEvent event) {
    String previousRun = MDC.get(MDC_RUN);
    String previousStep = MDC.get(MDC_STEP);
    MDC.put(MDC_RUN, event.runId());
    if (event.stepId() != null) {
      MDC.put(MDC_STEP, event.stepId());
    }
    try {
      switch (event.type()) {
        case STEP_FAILED, COMPENSATION_FAILED ->
            RUN_LOG.warn("{} {}: {}", event.type(), event.stepId(), event.message());
        case STEP_LOG -> RUN_LOG.debug("{}: {}", event.stepId(), event.message());
        default ->
            RUN_LOG.info(
                "{} {}{}",
                event.type(),
                event.stepId() == null ? "" : event.stepId(),
                event.message() == null || event.message().isEmpty() ? "" : " " + event.message());
      }
    } finally {
      restore(MDC_RUN, previousRun);
      restore(MDC_STEP, previousStep);
    }
  }

  /** Runs work with the run and step ids in the MDC, so connector logging carries them. */
  static <T> T withMdc(String runId, String stepId, java.util.concurrent.Callable<T> work)
      throws Exception {
    String previousRun = MDC.get(MDC_RUN);
    String previousStep = MDC.get(MDC_STEP);
    MDC.put(MDC_RUN, runId);
    MDC.put(MDC_STEP, stepId);
    try {
      return work.call();
    } finally {
      restore(MDC_RUN, previousRun);
      restore(MDC_STEP, previousStep);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
