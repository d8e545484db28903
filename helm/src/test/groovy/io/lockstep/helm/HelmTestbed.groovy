package io.lockstep.helm

import io.lockstep.engine.spi.StepTypes
import io.lockstep.kubernetes.FakeKubeApi

import java.nio.file.Files
import java.nio.file.Path

/** The test charts (src/testbed/charts), kubeconfigs for a fake API server, and step builders. */
class HelmTestbed {

    static final Path CHARTS = Path.of(System.getProperty('lockstep.charts', '../src/testbed/charts')).toAbsolutePath().normalize()

    static final StepTypes TYPES = StepTypes.load(HelmTestbed.classLoader)

    /**
     * A kubeconfig for {@code server} with one context. Written here with Files rather than
     * FakeKubeApi.writeKubeconfig, whose {@code Path.text} needs groovy-nio, which this module lacks.
     */
    static Path kubeconfig(Path file, String server, String context = 'fake', String namespace = 'default') {
        Files.createDirectories(file.toAbsolutePath().parent)
        Files.writeString(file, """\
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: ${server}
            contexts:
            - name: ${context}
              context:
                cluster: fake
                namespace: ${namespace}
                user: spec
            current-context: ${context}
            users:
            - name: spec
              user:
                token: spec-token
            """.stripIndent())
        file
    }

    static Path kubeconfig(Path file, FakeKubeApi api, String context = 'fake', String namespace = 'default') {
        kubeconfig(file, api.url(), context, namespace)
    }

    /** The step type's step, with defaults filled in as the DSL does. */
    static io.lockstep.engine.model.Step.Builder step(String type, String id, Map args) {
        def stepType = TYPES.find(type).orElseThrow { new IllegalStateException("no step type $type") }
        Map all = [:]
        stepType.arguments().each { if (it.defaultValue() != null) all[it.name()] = it.defaultValue() }
        stepType.create(id, all + args)
    }
}
