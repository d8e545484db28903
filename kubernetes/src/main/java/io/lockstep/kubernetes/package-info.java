/**
 * Kubernetes step types on the fabric8 client, registered through {@code
 * META-INF/services/io.lockstep.engine.spi.StepType}, and the {@code kubernetes} transport of the
 * database steps.
 *
 * <p>Each step finds its cluster and namespace through its own arguments or its target's attributes
 * ({@link io.lockstep.kubernetes.KubeCluster}) and shares one client per cluster with the other
 * steps of its run through the run's resources. Every call to the API server has a timeout.
 */
package io.lockstep.kubernetes;
