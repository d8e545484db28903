package io.lockstep.helm

import io.fabric8.mockwebserver.dsl.HttpMethod
import io.lockstep.kubernetes.FakeKubeApi
import io.lockstep.kubernetes.HelmKubeApi
import io.lockstep.kubernetes.StallRoute
import io.lockstep.steps.StepFailedException
import io.lockstep.testing.TestStepContext
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

/**
 * The Helm child processes of a run: the run's Helm calls share one, it ends with the run, and one
 * that dies mid-call is replaced. Each leaves no copy of Helm's native library behind.
 */
class HelmProcessesSpec extends Specification {

    @TempDir
    Path dir

    FakeKubeApi api
    Path kubeconfig
    TestStepContext run
    volatile boolean stalling

    def setup() {
        api = HelmKubeApi.start(new StallRoute({ stalling && it.method() == HttpMethod.POST && it.path.contains('/secrets') }))
        kubeconfig = HelmTestbed.kubeconfig(dir.resolve('kubeconfig'), api, 'fake', 'tyk')
        run = new TestStepContext(dir)
    }

    def cleanup() {
        run?.close()
        api?.close()
    }

    private Map upgrade(String stepId, String tag) {
        run.stepId = stepId
        HelmTestbed.step('helmUpgrade', stepId, [release: 'portal', chart: HelmTestbed.CHARTS.resolve('tyk-dev-portal').toString(),
                kubeconfig: kubeconfig.toString(), install: true, set: ['image.tag': tag], timeout: Duration.ofSeconds(30)])
                .build().action().execute(run)
    }

    private static List<Long> children() {
        ProcessHandle.current().descendants().filter { it.alive }.map { it.pid() }.toList()
    }

    /** The children's private temporary directories, where helm-java copies its library. */
    private List<Path> helmTemporaries() {
        Path home = dir.resolve('artifacts').resolve('helm')
        Files.isDirectory(home) ? Files.list(home).withCloseable { it.filter { it.fileName.toString().startsWith('tmp-') }.toList() } : []
    }

    def "the steps of a run share one Helm process, which ends with the run and leaves no copy of Helm's library behind"() {
        when: 'two steps each read the release and upgrade it'
        upgrade('install/portal', 'v1.10.0')
        List<Long> afterFirst = children()
        List<Path> temporaries = helmTemporaries()
        upgrade('upgrade/portal', 'v1.11.0')

        then: 'one process served all four Helm calls'
        afterFirst.size() == 1
        children() == afterFirst
        temporaries.size() == 1
        Files.walk(temporaries[0]).withCloseable { it.anyMatch { it.fileName.toString() == 'helm-linux-amd64.so' } }

        when: 'the run stops'
        run.close()

        then:
        children() == []
        helmTemporaries() == []
    }

    def "a Helm process that dies mid-call fails the step, and the run's next call starts a new one"() {
        given:
        upgrade('install/portal', 'v1.10.0')
        long first = children()[0]
        int stored = secretWrites()
        stalling = true

        when: 'the process dies while Helm waits for the API server to store the new revision'
        CompletableFuture<Map> stuck = CompletableFuture.supplyAsync { upgrade('upgrade/portal', 'v1.11.0') }
        waitFor { secretWrites() > stored }
        ProcessHandle.of(first).get().destroyForcibly()
        stuck.get(30, TimeUnit.SECONDS)

        then:
        def e = thrown(java.util.concurrent.ExecutionException)
        e.cause instanceof StepFailedException
        e.cause.message.startsWith('helm upgrade of release portal: the Helm process ended without a result')

        and: 'the dead process left no library copy; the step read the release again with a new one'
        !ProcessHandle.of(first).map { it.alive }.orElse(false)
        List<Long> after = children()
        after.size() == 1
        helmTemporaries().size() == 1

        when: 'the API server answers again'
        stalling = false
        Map retried = upgrade('upgrade/again', 'v1.11.0')

        then: 'that process serves the call'
        retried.revision == 2
        children() == after
        helmTemporaries().size() == 1
    }

    def "lockstep.helm.classpath sets the child's class path; a wrong one fails the step with the JVM's own words"() {
        given:
        System.setProperty(HelmProcess.CLASS_PATH_PROPERTY, dir.resolve('no-such.jar').toString())

        when:
        upgrade('install/portal', 'v1.10.0')

        then:
        StepFailedException e = thrown()
        e.message == 'reading release portal in namespace tyk: the Helm process ended without a result: ' +
                'Error: Could not find or load main class io.lockstep.helm.HelmWorker\n' +
                'Caused by: java.lang.ClassNotFoundException: io.lockstep.helm.HelmWorker'
        children() == []
        helmTemporaries() == []

        cleanup:
        System.clearProperty(HelmProcess.CLASS_PATH_PROPERTY)
    }

    private int secretWrites() {
        api.requests.count { it.startsWith('POST /api/v1/namespaces/tyk/secrets') }
    }

    private static void waitFor(Closure<Boolean> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30)
        while (!condition()) {
            assert System.nanoTime() < deadline: 'condition not met in 30 s'
            Thread.sleep(50)
        }
    }
}
