package io.lockstep.helm

import com.marcnuri.helm.Helm
import io.lockstep.engine.Lockstep
import io.lockstep.engine.RunOptions
import io.lockstep.engine.RunResult
import io.lockstep.engine.RunStatus
import io.lockstep.engine.journal.FileJournalStore
import io.lockstep.engine.model.Group
import io.lockstep.engine.model.Playbook
import io.lockstep.engine.model.Step
import io.fabric8.mockwebserver.http.MockResponse
import io.lockstep.kubernetes.FakeKubeApi
import io.lockstep.kubernetes.HelmKubeApi
import io.lockstep.steps.StepArgs
import io.lockstep.steps.StepFailedException
import io.lockstep.testing.TestStepContext
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * helmUpgrade against the fake API server: every Helm call is helm-java's own, in a child JVM, with
 * Helm's default storage (release Secrets). The spec reads the cluster back with a fabric8 client.
 */
class HelmUpgradeSpec extends Specification {

    @TempDir
    Path dir

    FakeKubeApi api
    Path kubeconfig
    TestStepContext ctx

    def setup() {
        api = HelmKubeApi.start()
        kubeconfig = HelmTestbed.kubeconfig(dir.resolve('kubeconfig'), api, 'fake', 'tyk')
        Files.createDirectories(dir.resolve('charts'))
        ['tyk-dev-portal', 'tyk-dev-portal-1.1.0'].each { name ->
            copyTree(HelmTestbed.CHARTS.resolve(name), dir.resolve('charts').resolve(name))
        }
        ctx = new TestStepContext(dir)
        ctx.stepId = 'upgrade/portal'
    }

    def cleanup() {
        ctx?.close() // ends the run's Helm processes, as the engine does when a run stops
        api?.close()
    }

    private Step step(Map args) {
        HelmTestbed.step('helmUpgrade', 'upgrade/portal',
                [release: 'portal', chart: 'charts/tyk-dev-portal', kubeconfig: kubeconfig.toString()] + args).build()
    }

    private String image(String deployment = 'dev-portal-portal') {
        api.client('tyk').apps().deployments().withName(deployment).get().spec.template.spec.containers[0].image
    }

    private List history() {
        Helm.history('portal').withNamespace('tyk').withKubeConfig(kubeconfig).call().sort { it.revision }
    }

    /** Installs the release at chart 1.0.0 with image.tag v1.10.0, as a deploy before the upgrade would. */
    private Map install() {
        new TestStepContext(dir).withCloseable { first ->
            first.stepId = 'install/portal'
            step(install: true, set: ['image.tag': 'v1.10.0']).action().execute(first)
        }
    }

    def "an upgrade sets image.tag: the Deployment's image changes, and the outputs record before and after"() {
        given:
        Map installed = install()

        when:
        Map outputs = step(set: ['image.tag': 'v1.11.0']).action().execute(ctx)

        then:
        installed.revision == 1
        installed.previousRevision == 0
        image() == 'tykio/portal:v1.11.0'
        outputs.release == 'portal'
        outputs.namespace == 'tyk'
        outputs.revision == 2
        outputs.previousRevision == 1
        outputs.chart == 'tyk-dev-portal-1.0.0'
        outputs.previousChart == 'tyk-dev-portal-1.0.0'
        outputs.appVersion == '1.10.0'
        outputs.previousValues == '{"image":{"tag":"v1.10.0"}}'
        outputs.values == '{"image":{"tag":"v1.11.0"}}'
        outputs.rollbackChart == dir.resolve('charts/tyk-dev-portal').toString()
        Files.readString(dir.resolve('artifacts').resolve(StepArgs.fileName('upgrade/portal')).resolve('previous-values.yaml')) ==
                'image:\n  tag: v1.10.0\n'
        ctx.lines.last() == 'upgraded release portal from revision 1 (tyk-dev-portal-1.0.0) to revision 2 (tyk-dev-portal-1.0.0)' +
                ' in namespace tyk; previous values saved in ' +
                dir.resolve('artifacts').resolve(StepArgs.fileName('upgrade/portal')).resolve('previous-values.yaml')
        history()*.status == ['superseded', 'deployed']
        kubeconfigsLeft() == []
        history()*.description == ['lockstep run run-1 step install/portal', 'lockstep run run-1 step upgrade/portal']

        when: 'the probe runs, as after a crash before the journal kept the outputs'
        Optional<Map> probed = step(set: ['image.tag': 'v1.11.0']).probe().check(ctx)

        then: 'it recognises the revision as this step\'s and upgrades nothing'
        probed.get().subMap('revision', 'previousRevision', 'previousValues', 'values', 'rollbackChart') ==
                outputs.subMap('revision', 'previousRevision', 'previousValues', 'values', 'rollbackChart')
        history().size() == 2

        when: 'the action runs again, as a retry of the same step would'
        Map again = step(set: ['image.tag': 'v1.11.0']).action().execute(ctx)

        then: 'it upgrades nothing and still goes back to the values before the step'
        again.subMap('revision', 'previousRevision', 'previousValues', 'values') == outputs.subMap('revision', 'previousRevision', 'previousValues', 'values')
        history().size() == 2
        ctx.lines.last() == 'release portal is already at revision 2 made by this step (tyk-dev-portal-1.0.0)'
    }

    def "a later failing step rolls the release back through the engine: previous chart, values and image, as a new revision"() {
        given:
        install()
        Step failing = Step.builder('verify/portal', { c -> throw new StepFailedException('portal answers 500 on /ready') }).build()
        Playbook playbook = new Playbook('portal', 'test', new Group('', '', Group.Kind.SEQUENCE,
                [step(set: ['image.tag': 'v1.11.0', 'readinessProbe.initialDelaySeconds': '30']), failing]), [:], [:], [], null, dir)
        List events = [].asSynchronized()

        when:
        RunResult result = Lockstep.builder().store(new FileJournalStore(dir.resolve('runs'))).listener { events << it }.build()
                .run(playbook, RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.ROLLED_BACK
        result.compensated() == ['upgrade/portal']
        image() == 'tykio/portal:v1.10.0'
        api.client('tyk').apps().deployments().withName('dev-portal-portal').get()
                .spec.template.spec.containers[0].readinessProbe.initialDelaySeconds == 5
        history()*.revision == [1, 2, 3]
        history()*.status == ['superseded', 'superseded', 'deployed']
        history()[2].chart == 'tyk-dev-portal-1.0.0'
        history()[2].description == "lockstep run ${result.runId()} undo of step upgrade/portal".toString()
        Helm.get('portal').values().withNamespace('tyk').withKubeConfig(kubeconfig).call().contains('tag: v1.10.0')
        events.any { it.message()?.startsWith('upgraded release portal back to tyk-dev-portal-1.0.0 with the values of revision 1: now revision 3') }
    }

    def "an upgrade the API server rejects puts the release back to its chart and values before the step fails, as --atomic"() {
        given: 'an API server that refuses the new Deployment, as admission would'
        api.routes.add(0, { request, store ->
            request.method == 'PATCH' && request.path.contains('/deployments/') && request.utf8Body.contains('v9.9.9-rejected')
                    ? new MockResponse().setResponseCode(422).setHeader('Content-Type', 'application/json')
                    .setBody('{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Invalid","code":422,' +
                            '"message":"Deployment.apps \\"dev-portal-portal\\" is invalid: image rejected by policy"}')
                    : null
        } as FakeKubeApi.Route)
        install()

        when:
        step(set: ['image.tag': 'v9.9.9-rejected']).action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message.contains('image rejected by policy')
        e.message.endsWith('release portal was put back to tyk-dev-portal-1.0.0 with the values of revision 1 (now revision 3)')
        history()*.status == ['superseded', 'failed', 'deployed']
        image() == 'tykio/portal:v1.10.0'
    }

    def "a release that does not exist fails clearly without install: true, and nothing is installed"() {
        when:
        step(set: ['image.tag': 'v1.11.0']).action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == "release portal does not exist in namespace tyk (context fake of ${kubeconfig}): helmUpgrade upgrades an" +
                ' existing release; check the release name and namespace, or set install: true to install it'
        api.client('tyk').secrets().list().items.empty
        !api.requests.any { it.startsWith('POST') }
    }

    def "a new local chart version without rollbackChart is refused before anything changes; with it, the undo goes back to 1.0.0"() {
        given:
        install()

        when:
        step(chart: 'charts/tyk-dev-portal-1.1.0').action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == "release portal runs chart tyk-dev-portal-1.0.0, and the new chart ${dir.resolve('charts/tyk-dev-portal-1.1.0')}" +
                ' is tyk-dev-portal-1.1.0 from a local path: an undo would have no chart tyk-dev-portal-1.0.0 to go back to.' +
                ' Give rollbackChart: the path (or repo/name) of chart tyk-dev-portal-1.0.0; nothing was changed'
        history().size() == 1

        when:
        Step upgrade = step(chart: 'charts/tyk-dev-portal-1.1.0', rollbackChart: 'charts/tyk-dev-portal')
        Map outputs = upgrade.action().execute(ctx)

        then:
        outputs.chart == 'tyk-dev-portal-1.1.0'
        outputs.previousChart == 'tyk-dev-portal-1.0.0'
        outputs.rollbackChart == dir.resolve('charts/tyk-dev-portal').toString()
        image() == 'tykio/portal:v1.10.0'

        when:
        ctx.ownOutputs = outputs
        upgrade.compensation().action().execute(ctx)

        then:
        history()*.chart == ['tyk-dev-portal-1.0.0', 'tyk-dev-portal-1.1.0', 'tyk-dev-portal-1.0.0']
        image() == 'tykio/portal:v1.10.0'
    }

    def "the undo refuses when someone upgraded the release after the step"() {
        given:
        install()
        Step upgrade = step(set: ['image.tag': 'v1.11.0'])
        ctx.ownOutputs = upgrade.action().execute(ctx)
        Helm.upgrade(dir.resolve('charts/tyk-dev-portal').toString()).withName('portal').withNamespace('tyk')
                .withKubeConfig(kubeconfig).set('image.tag', 'v1.12.0').withDescription('by hand').call()

        when:
        upgrade.compensation().action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == "refusing to roll back release portal: its current revision is 3 (tyk-dev-portal-1.0.0, by hand), not" +
                " revision 2 that step 'upgrade/portal' made, so someone has upgraded it since. Check `helm history portal -n tyk`" +
                ' and roll back by hand if the later change should go too'
        image() == 'tykio/portal:v1.12.0'
    }

    def "a release the step installed is uninstalled by the undo"() {
        given:
        Step upgrade = step(install: true)
        ctx.ownOutputs = upgrade.action().execute(ctx)

        expect:
        ctx.ownOutputs.previousRevision == 0
        ctx.ownOutputs.rollbackChart == ''
        image() == 'tykio/portal:v1.10.0'

        when:
        upgrade.compensation().action().execute(ctx)

        then:
        api.client('tyk').apps().deployments().withName('dev-portal-portal').get() == null
        api.client('tyk').secrets().withLabel('owner', 'helm').list().items.empty
        ctx.lines.last() == "uninstalled release portal, which step 'upgrade/portal' installed"
    }

    /** The kubeconfig copies HelmCall writes for the child: deleted after each call. */
    private List<Path> kubeconfigsLeft() {
        Files.walk(dir.resolve('artifacts')).filter { it.fileName.toString().startsWith('kubeconfig-') }.toList()
    }

    private static void copyTree(Path from, Path to) {
        Files.walk(from).each { Path source ->
            Path target = to.resolve(from.relativize(source).toString())
            if (Files.isDirectory(source)) {
                Files.createDirectories(target)
            } else {
                Files.copy(source, target)
            }
        }
    }
}
