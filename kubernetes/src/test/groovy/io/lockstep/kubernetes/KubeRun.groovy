package io.lockstep.kubernetes

import io.fabric8.kubernetes.api.model.apps.Deployment
import io.fabric8.kubernetes.api.model.PodTemplateSpec
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder
import io.fabric8.kubernetes.api.model.apps.StatefulSet
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder
import io.lockstep.engine.Lockstep
import io.lockstep.engine.RunEvent
import io.lockstep.engine.RunListener
import io.lockstep.engine.RunOptions
import io.lockstep.engine.RunResult
import io.lockstep.engine.journal.FileJournalStore
import io.lockstep.engine.model.Group
import io.lockstep.engine.model.Playbook
import io.lockstep.engine.model.Step
import io.lockstep.engine.spi.SecretResolver
import io.lockstep.engine.spi.StepTypes
import io.lockstep.steps.StepFailedException

import java.nio.file.Path

/**
 * Runs Kubernetes steps through the real engine, as a playbook would, and reads back the journal:
 * compensations, outputs and failures are the engine's own.
 */
class KubeRun {

    static final StepTypes TYPES = StepTypes.load(KubeRun.classLoader)

    final Path dir
    final FileJournalStore store
    RunResult result
    /** The secrets the run resolves, by name. */
    Map<String, String> secrets = [:]
    /** The lines the steps and their compensations logged, in order: {@code step-id: line}. */
    final List<String> log = [].asSynchronized()

    KubeRun(Path dir) {
        this.dir = dir
        this.store = new FileJournalStore(dir.resolve('runs'))
    }

    /** The step type's step, with defaults filled in as the DSL does. */
    static Step step(String type, String id, Map args) {
        def stepType = TYPES.find(type).orElseThrow { new IllegalStateException("no step type $type") }
        Map all = [:]
        stepType.arguments().each { if (it.defaultValue() != null) all[it.name()] = it.defaultValue() }
        stepType.create(id, all + args).build()
    }

    /** A step that fails, to make the engine roll back what ran before it. */
    static Step failing(String id = 'verify/fail') {
        Step.builder(id, { ctx -> throw new StepFailedException('the check after the upgrade failed') }).build()
    }

    /** A step running {@code body} (a spec's hand on the cluster between two steps). */
    static Step doing(String id, Closure body) {
        Step.builder(id, { ctx -> body(); [:] }).build()
    }

    RunResult run(Step... steps) {
        Playbook playbook = new Playbook('k8s', 'test', new Group('', '', Group.Kind.SEQUENCE, steps as List),
                [:], [:], [], null, dir)
        result = Lockstep.builder().store(store).secrets({ String name -> Optional.ofNullable(secrets[name]) } as SecretResolver)
                .listener({ RunEvent e -> if (e.type() == RunEvent.Type.STEP_LOG) log << "${e.stepId()}: ${e.message()}".toString() } as RunListener)
                .build().run(playbook, RunOptions.DEFAULTS)
        result
    }

    /** The journal's records as "TYPE step-id". */
    List<String> trace() {
        store.open(result.runId()).withCloseable { journal ->
            journal.records().collect { it.stepId() ? "${it.type()} ${it.stepId()}".toString() : it.type().toString() }
        }
    }

    /** A deployment of the Tyk guide: one container per name in {@code containers}, with its image. */
    static Deployment deployment(String name, Map<String, String> containers, int replicas = 2) {
        new DeploymentBuilder()
                .withNewMetadata().withName(name).addToLabels('app', name).endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector().addToMatchLabels('app', name).endSelector()
                .withTemplate(template(name, containers))
                .endSpec()
                .build()
    }

    /** A statefulset, such as the database of the Tyk charts: as {@link #deployment}. */
    static StatefulSet statefulSet(String name, Map<String, String> containers, int replicas = 2) {
        new StatefulSetBuilder()
                .withNewMetadata().withName(name).addToLabels('app', name).endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withServiceName(name)
                .withNewSelector().addToMatchLabels('app', name).endSelector()
                .withTemplate(template(name, containers))
                .endSpec()
                .build()
    }

    private static PodTemplateSpec template(String name, Map<String, String> containers) {
        new PodTemplateSpecBuilder()
                .withNewMetadata().addToLabels('app', name).endMetadata()
                .withNewSpec()
                .withContainers(containers.collect { c, image ->
                    new io.fabric8.kubernetes.api.model.ContainerBuilder().withName(c).withImage(image).build()
                })
                .endSpec()
                .build()
    }
}
