/**
 * Docker step types on docker-java: {@code pullImage}, {@code recreateContainer}, {@code
 * stopContainer}, {@code startContainer}, {@code waitContainer}, {@code assertContainerLogClean}
 * and {@code execInContainer}; and for services of a compose project, {@code composeSetImage}
 * (edits the compose file as text), {@code composePull}, {@code composeUp} and {@code composeStop}
 * (drive the compose CLI). All are registered through {@code
 * META-INF/services/io.lockstep.engine.spi.StepType}.
 *
 * <p>Each step finds its daemon through its {@code host} argument, the target's {@code dockerHost}
 * attribute, {@code DOCKER_HOST}, or the local socket, and leases one shared client per endpoint
 * from {@link io.lockstep.docker.DockerClients}.
 */
package io.lockstep.docker;
