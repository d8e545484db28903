package io.lockstep.engine.model;

import java.util.Map;

/**
 * What a step does. It returns its outputs (values later steps and its compensation read); they are
 * journaled, so they must be JSON values: strings, numbers, booleans, lists and maps of those.
 */
@FunctionalInterface
public interface Action {

  Map<String, Object> execute(StepContext context) throws Exception;
}
