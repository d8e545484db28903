/**
 * Human-readable reports of a run, in Markdown and self-contained HTML, built from its {@link
 * io.lockstep.engine.RunView}: what ran, where, how long, what it returned, what was undone and
 * what was not.
 *
 * <pre>{@code
 * RunView view = engine.status(runId);
 * RunReport.Written files = RunReport.of(view).withPlaybook(playbook).writeTo(artifactsDir);
 * }</pre>
 */
package io.lockstep.engine.report;
