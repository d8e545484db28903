package io.lockstep.dsl.internal

import groovy.transform.CompileStatic
import org.codehaus.groovy.tools.GroovyClass
import org.slf4j.Logger
import org.slf4j.LoggerFactory

import java.nio.file.AtomicMoveNotSupportedException
import java.nio.file.FileAlreadyExistsException
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.security.MessageDigest

/**
 * Compiled playbook and environment classes on disk, by digest, so that a cold `lockstep plan` of an
 * unchanged playbook skips Groovy's compiler, which is most of its start-up time (the same idea as
 * Gradle's script cache).
 *
 * The key covers the script's bytes, its base class, the Groovy version and this DSL build, so a new
 * Lockstep never loads classes an older one compiled. An entry is written to a temporary directory
 * and renamed into place: a crash or a concurrent writer never leaves a half-written entry, and an
 * entry that fails to load is deleted and compiled again.
 *
 * Location: system property {@code lockstep.cache}, else {@code $LOCKSTEP_CACHE}, else
 * {@code $XDG_CACHE_HOME/lockstep} or {@code ~/.cache/lockstep}; {@code off} disables it.
 */
@CompileStatic
final class CompiledScriptCache {

    private static final Logger LOG = LoggerFactory.getLogger(CompiledScriptCache)
    private static final String BUILD = buildIdentity()

    /** The cache configured by the environment, or a disabled one. */
    static final CompiledScriptCache DEFAULT = new CompiledScriptCache(location())

    /** {@code null} when disabled. */
    private final Path root

    CompiledScriptCache(Path root) {
        this.root = root
    }

    boolean enabled() {
        root != null
    }

    /** The key of a script: its content, base class, Groovy version and this DSL build. */
    static String key(String baseClass, byte[] content) {
        MessageDigest sha = MessageDigest.getInstance('SHA-256')
        [baseClass, GroovySystem.version, BUILD].each { String part ->
            sha.update(part.getBytes('UTF-8'))
            sha.update((byte) 0)
        }
        sha.digest(content).encodeHex().toString()
    }

    /** The cached script class, or {@code null} when there is none (or it could not be loaded). */
    Class<? extends Script> load(String key, String className, ClassLoader parent) {
        if (root == null) {
            return null
        }
        Path entry = root.resolve(key)
        if (!Files.isDirectory(entry)) {
            return null
        }
        try {
            URLClassLoader loader = new URLClassLoader([entry.toUri().toURL()] as URL[], parent)
            return (Class<? extends Script>) loader.loadClass(className)
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.warn('discarding the cached compiled script {}: {}', entry, e.toString())
            entry.toFile().deleteDir()
            return null
        }
    }

    /** Stores the classes of one compiled script; a failure only costs the next load a compile. */
    void store(String key, List<GroovyClass> classes) {
        if (root == null) {
            return
        }
        Path entry = root.resolve(key)
        try {
            Files.createDirectories(root)
            Path temp = Files.createTempDirectory(root, key.take(8) + '.tmp')
            classes.each { GroovyClass c -> Files.write(temp.resolve(c.name + '.class'), c.bytes) }
            try {
                Files.move(temp, entry, StandardCopyOption.ATOMIC_MOVE)
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException ignored) {
                // Another process stored the same entry first, or the file system cannot rename
                // directories atomically: keep theirs, or none.
                temp.toFile().deleteDir()
            } catch (IOException e) {
                temp.toFile().deleteDir()
                if (!Files.isDirectory(entry)) {
                    throw e
                }
            }
        } catch (IOException e) {
            LOG.warn('could not cache compiled script in {}: {}', root, e.toString())
        }
    }

    private static Path location() {
        String configured = System.getProperty('lockstep.cache') ?: System.getenv('LOCKSTEP_CACHE')
        if (configured == 'off') {
            return null
        }
        if (configured) {
            return Path.of(configured).resolve('scripts')
        }
        String xdg = System.getenv('XDG_CACHE_HOME')
        Path base = xdg ? Path.of(xdg) : Path.of(System.getProperty('user.home'), '.cache')
        base.resolve('lockstep').resolve('scripts')
    }

    /** Identifies this DSL build: where its classes come from, with their size and time. */
    private static String buildIdentity() {
        try {
            URL location = CompiledScriptCache.protectionDomain.codeSource.location
            Path path = Path.of(location.toURI())
            Path file = Files.isDirectory(path) ? path.resolve(CompiledScriptCache.name.replace('.', '/') + '.class') : path
            return "${path}|${Files.size(file)}|${Files.getLastModifiedTime(file).toMillis()}".toString()
        } catch (Exception e) {
            // Unknown origin: a key unique to this process, so nothing stale is ever loaded.
            return UUID.randomUUID().toString()
        }
    }
}
