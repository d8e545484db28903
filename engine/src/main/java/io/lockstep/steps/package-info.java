/**
 * The built-in step types that need no external system: {@code command}, {@code backupFiles},
 * {@code restoreFiles}, {@code httpCheck} and {@code assertLogClean}. They are registered through
 * {@code META-INF/services/io.lockstep.engine.spi.StepType} and found with {@link
 * io.lockstep.engine.spi.StepTypes#load(ClassLoader)}.
 *
 * <p>{@link io.lockstep.steps.logs.LogScanner} is public so connectors that read logs from
 * elsewhere (containers, the journal, pods) apply the same rules, and {@link
 * io.lockstep.steps.ProcessRunner} and {@link io.lockstep.steps.Processes} so connectors that drive
 * a CLI or run local tools ({@code docker-compose}, {@code pg_dump}) give them the same
 * environment, stream their output and end their process tree on cancellation the way {@code
 * command} does.
 *
 * <p>{@link io.lockstep.steps.NewImage}, {@link io.lockstep.steps.ImageEdit}, {@link
 * io.lockstep.steps.EditedFiles} and {@link io.lockstep.steps.AtomicFiles} are public so the
 * connectors' steps that set an image in a file they edit in place (a compose file, a manifest)
 * take the image the same way, save the original, write atomically and undo only what they wrote.
 */
package io.lockstep.steps;
