package io.lockstep.engine.model;

/**
 * One element of a playbook tree. Every node has a stable id: its path in the tree (segments joined
 * by {@code /}), with {@code @target} appended inside a rolling block. Ids are what the journal
 * records, so they must not change between a run and its resume.
 */
public sealed interface Node permits Step, Group, Parallel, Rolling, ApprovalGate {

  /** Stable path id, for example {@code upgrade/pull-image} or {@code gateways/restart@gw-1}. */
  String id();

  /** Human label for plans and progress, usually the last id segment. */
  String label();
}
