/**
 * Linux step types over the SSH connector: {@code installPackage} (dpkg, rpm, apt, yum, dnf),
 * {@code service} (systemd), {@code assertJournalClean} and {@code backupRemoteFile}.
 */
package io.lockstep.linux;
