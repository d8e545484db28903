/**
 * SSH step types on sshj: {@code ssh} (run a program on a Linux host), {@code uploadFile} and
 * {@code downloadFile} (SFTP). All are registered through {@code
 * META-INF/services/io.lockstep.engine.spi.StepType}.
 *
 * <p>Each step finds its host through its own arguments or its target's attributes ({@link
 * io.lockstep.ssh.SshTarget}), checks the host key against known_hosts ({@link
 * io.lockstep.ssh.HostKeys}), logs in with the keys of ssh-agent and an identity file ({@link
 * io.lockstep.ssh.LoginKeys}, {@link io.lockstep.ssh.SshAgent}), and shares one {@link
 * io.lockstep.ssh.SshConnection} per user, host and port with the other steps of its run through
 * the run's resources. Commands are argument vectors quoted for the remote shell by {@link
 * io.lockstep.ssh.ShellQuote}, never pasted.
 */
package io.lockstep.ssh;
