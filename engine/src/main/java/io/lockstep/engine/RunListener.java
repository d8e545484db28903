package io.lockstep.engine;

/**
 * Receives a run's events, in order, on the thread that produced them (parallel branches call it
 * concurrently). A listener that throws is logged and ignored: it cannot break a run.
 *
 * <pre>{@code
 * Lockstep engine = Lockstep.builder()
 *     .listener(event -> metrics.count(event.type().name()))
 *     .build();
 * }</pre>
 */
@FunctionalInterface
public interface RunListener {

  void onEvent(RunEvent event);
}
