package io.lockstep.dsl.internal

import groovy.transform.CompileStatic

import java.nio.charset.StandardCharsets
import java.security.MessageDigest

/**
 * SHA-256 over the playbook file, every environment file (bases first) and the resolved params in
 * name order: whatever changes the resolved tree changes the fingerprint.
 */
@CompileStatic
final class Fingerprint {

    private Fingerprint() {}

    static String of(byte[] playbook, List<byte[]> environmentFiles, Map<String, Object> params) {
        MessageDigest sha = MessageDigest.getInstance('SHA-256')
        section(sha, playbook)
        environmentFiles.each { byte[] file -> section(sha, file) }
        params.keySet().toSorted().each { String name ->
            section(sha, "${name}=${params[name]}".toString().getBytes(StandardCharsets.UTF_8))
        }
        sha.digest().encodeHex().toString()
    }

    private static void section(MessageDigest sha, byte[] bytes) {
        sha.update(String.valueOf(bytes.length).getBytes(StandardCharsets.US_ASCII))
        sha.update((byte) 0)
        sha.update(bytes)
    }
}
