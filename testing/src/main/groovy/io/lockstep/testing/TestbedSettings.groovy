package io.lockstep.testing

import java.nio.file.Files
import java.nio.file.Path

/**
 * Where the integration testbed's parts are: the LOCKSTEP_TESTBED_* variables src/testbed/up
 * prints, else the env.properties it writes ($LOCKSTEP_TESTBED_HOME, or build/testbed/ of the
 * checkout, seen from a module's directory). A variable from the environment wins over the file.
 */
class TestbedSettings {

    private static Map<String, String> settings

    /** The value of LOCKSTEP_TESTBED_<name>, or null when the testbed did not write it. */
    static String find(String name) {
        all()["LOCKSTEP_TESTBED_${name}".toString()]
    }

    /**
     * The value of LOCKSTEP_TESTBED_<name>; a testbed that is not up fails the spec with what to do
     * (specs never skip for a missing part).
     */
    static String get(String name) {
        String value = find(name)
        if (value == null) {
            throw new IllegalStateException("LOCKSTEP_TESTBED_${name} is not set: start the testbed with " +
                    'src/testbed/up (or set LOCKSTEP_TESTBED_HOME to where it wrote env.properties)')
        }
        value
    }

    private static synchronized Map<String, String> all() {
        if (settings == null) {
            Map<String, String> found = [:]
            String home = System.getenv('LOCKSTEP_TESTBED_HOME')
            Path file = [home ? Path.of(home, 'env.properties') : null, Path.of('..', 'build', 'testbed', 'env.properties')]
                    .find { it != null && Files.isRegularFile(it) }
            if (file != null) {
                Properties properties = new Properties()
                Files.newInputStream(file).withCloseable { properties.load(it) }
                properties.each { k, v -> found[k.toString()] = v.toString() }
            }
            System.getenv().each { k, v -> if (k.startsWith('LOCKSTEP_TESTBED_')) found[k] = v }
            settings = found
        }
        settings
    }
}
