/**
 * The Helm step types on helm-java, registered through {@code
 * META-INF/services/io.lockstep.engine.spi.StepType}. Helm runs as a native library; each call runs
 * in a child JVM that is killed when its time is up, because a call stuck in native code cannot be
 * interrupted and Helm's signal handlers replace the JVM's.
 */
package io.lockstep.helm;
