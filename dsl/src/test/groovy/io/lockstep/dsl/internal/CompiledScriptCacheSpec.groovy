package io.lockstep.dsl.internal

import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.Phases
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

class CompiledScriptCacheSpec extends Specification {

    @TempDir
    Path dir

    static List compile(String className, String text) {
        def unit = new CompilationUnit(new CompilerConfiguration(), null, new GroovyClassLoader())
        unit.addSource(className + '.groovy', text)
        unit.compile(Phases.CLASS_GENERATION)
        unit.classes
    }

    def "a stored script loads from disk in a fresh class loader and runs, closures included"() {
        given:
        def cache = new CompiledScriptCache(dir)
        def key = CompiledScriptCache.key('Base', 'text'.bytes)
        cache.store(key, compile('Cached', "[1, 2, 3].collect { it * 2 }"))

        when:
        def type = cache.load(key, 'Cached', getClass().classLoader)

        then:
        type.getDeclaredConstructor().newInstance().run() == [2, 4, 6]
        type.classLoader instanceof URLClassLoader
        Files.list(dir).toList()*.fileName*.toString() == [key]
    }

    def "the key changes with the content and with the base class"() {
        expect:
        CompiledScriptCache.key('A', 'x'.bytes) != CompiledScriptCache.key('A', 'y'.bytes)
        CompiledScriptCache.key('A', 'x'.bytes) != CompiledScriptCache.key('B', 'x'.bytes)
        CompiledScriptCache.key('A', 'x'.bytes) == CompiledScriptCache.key('A', 'x'.bytes)
    }

    def "an entry that cannot be loaded is discarded, so the next load compiles again"() {
        given:
        def cache = new CompiledScriptCache(dir)
        def key = CompiledScriptCache.key('Base', 'broken'.bytes)
        cache.store(key, compile('Broken', "42"))
        Files.write(dir.resolve(key).resolve('Broken.class'), [0xCA, 0xFE] as byte[])

        expect:
        cache.load(key, 'Broken', getClass().classLoader) == null
        !Files.exists(dir.resolve(key))
    }

    def "a missing entry or a disabled cache loads nothing and stores nothing"() {
        given:
        def disabled = new CompiledScriptCache(null)

        when:
        disabled.store('k', compile('Nothing', '1'))

        then:
        !disabled.enabled()
        disabled.load('k', 'Nothing', getClass().classLoader) == null
        new CompiledScriptCache(dir).load('absent', 'Nothing', getClass().classLoader) == null
    }
}
