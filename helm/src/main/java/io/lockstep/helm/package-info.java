/**
 * The Helm step types on helm-java, registered through {@code
 * META-INF/services/io.lockstep.engine.spi.StepType}. Helm runs as a native library in a child JVM
 * the run's calls share, killed when a call's time is up, because a call stuck in native code
 * cannot be interrupted and Helm's signal handlers replace the JVM's.
 */
package io.lockstep.helm;
