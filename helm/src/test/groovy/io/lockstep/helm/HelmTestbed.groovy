package io.lockstep.helm

import io.lockstep.engine.spi.StepTypes
import io.lockstep.kubernetes.FakeKubeApi

import java.nio.file.Files
import java.nio.file.Path

/** The test charts (src/testbed/charts), kubeconfigs for a fake API server, and step builders. */
class HelmTestbed {

    static final Path CHARTS = Path.of(System.getProperty('lockstep.charts', '../src/testbed/charts')).toAbsolutePath().normalize()

    static final StepTypes TYPES = StepTypes.load(HelmTestbed.classLoader)

    /** A kubeconfig for {@code server} with one context (FakeKubeApi writes it). */
    static Path kubeconfig(Path file, String server, String context = 'fake', String namespace = 'default') {
        FakeKubeApi.writeKubeconfig(file, server, context, namespace)
    }

    static Path kubeconfig(Path file, FakeKubeApi api, String context = 'fake', String namespace = 'default') {
        api.writeKubeconfig(file, context, namespace)
    }

    /** The step type's step, with defaults filled in as the DSL does. */
    static io.lockstep.engine.model.Step.Builder step(String type, String id, Map args) {
        def stepType = TYPES.find(type).orElseThrow { new IllegalStateException("no step type $type") }
        Map all = [:]
        stepType.arguments().each { if (it.defaultValue() != null) all[it.name()] = it.defaultValue() }
        stepType.create(id, all + args)
    }
}
