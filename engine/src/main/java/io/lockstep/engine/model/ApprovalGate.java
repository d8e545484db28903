package io.lockstep.engine.model;

/**
 * A point where a human must approve before the run goes on. Without a recorded approval the run
 * pauses in {@code AWAITING_APPROVAL}, keeps its lock, and continues on {@code approve}.
 */
public record ApprovalGate(String id, String label, String prompt) implements Node {}
