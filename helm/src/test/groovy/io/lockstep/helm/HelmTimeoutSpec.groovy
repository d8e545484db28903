package io.lockstep.helm

import io.fabric8.mockwebserver.dsl.HttpMethod
import io.lockstep.engine.model.Step
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
import java.util.concurrent.CancellationException

/**
 * A Helm call that never returns: the child process is killed (SIGKILL) when the step's time is up
 * or the step is cancelled, the step fails saying so, and no process is left behind.
 */
class HelmTimeoutSpec extends Specification {

    @TempDir
    Path dir

    ServerSocket silent
    List<Socket> accepted = [].asSynchronized()
    FakeKubeApi api

    List<TestStepContext> contexts = []

    private TestStepContext context() {
        TestStepContext ctx = new TestStepContext(dir)
        contexts << ctx
        ctx
    }

    def cleanup() {
        contexts*.close()
        accepted.each { it.close() }
        silent?.close()
        api?.close()
    }

    private Step step(Path kubeconfig, Map args = [:]) {
        HelmTestbed.step('helmUpgrade', 'upgrade/portal', [release: 'portal', chart: HelmTestbed.CHARTS.resolve('tyk-dev-portal').toString(),
                kubeconfig: kubeconfig.toString(), install: true, timeout: Duration.ofSeconds(5)] + args).build()
    }

    /** An API server that accepts connections and never answers. */
    private Path silentServer() {
        silent = new ServerSocket(0, 50, InetAddress.getByName('127.0.0.1'))
        Thread.startDaemon {
            while (!silent.closed) {
                try {
                    accepted << silent.accept()
                } catch (IOException ignored) {
                    return
                }
            }
        }
        HelmTestbed.kubeconfig(dir.resolve('kubeconfig'), "http://127.0.0.1:${silent.localPort}", 'fake', 'tyk')
    }

    private static List<ProcessHandle> children() {
        ProcessHandle.current().descendants().filter { it.alive }.toList()
    }

    def "a server that never answers: the first Helm call is killed after the timeout and the step fails saying nothing changed"() {
        given:
        Step step = step(silentServer())
        long started = System.nanoTime()

        when:
        step.action().execute(context())

        then:
        StepFailedException e = thrown()
        e.message == 'reading release portal in namespace tyk did not finish in 5s; the Helm process was killed. Nothing was changed.'
        Duration.ofNanos(System.nanoTime() - started) < Duration.ofSeconds(5).plus(HelmCall.STARTUP_MARGIN).plusSeconds(10)
        Duration.ofNanos(System.nanoTime() - started) >= Duration.ofSeconds(5)
        accepted.size() > 0
        children() == []
        Files.walk(dir.resolve('artifacts')).filter { it.fileName.toString().startsWith('kubeconfig-') }.toList() == []
    }

    def "an upgrade that stalls after the release was read: killed, and the message says where to look"() {
        given: 'the API answers everything but the write of the new release Secret'
        api = HelmKubeApi.start(new StallRoute({ it.method() == HttpMethod.POST && it.path.contains('/secrets') }))
        Step step = step(HelmTestbed.kubeconfig(dir.resolve('kubeconfig'), api, 'fake', 'tyk'))
        long started = System.nanoTime()

        when:
        step.action().execute(context())

        then:
        StepFailedException e = thrown()
        e.message == 'helm install of release portal did not finish in 5s; the Helm process was killed. The release may be left' +
                ' pending-install: check `helm history portal -n tyk`'
        Duration.ofNanos(System.nanoTime() - started) < Duration.ofSeconds(5).plus(HelmCall.STARTUP_MARGIN).multipliedBy(2).plusSeconds(10)
        api.requests.any { it.startsWith('POST /api/v1/namespaces/tyk/secrets') }
        children() == []
    }

    def "a cancelled step kills the Helm process at once"() {
        given:
        TestStepContext ctx = context()
        Step step = step(silentServer(), [timeout: Duration.ofMinutes(5)])
        Thread.startDaemon { Thread.sleep(3000); ctx.cancel('run cancelled by the operator') }
        long started = System.nanoTime()

        when:
        step.action().execute(ctx)

        then:
        CancellationException e = thrown()
        e.message == 'run cancelled by the operator'
        Duration.ofNanos(System.nanoTime() - started) < Duration.ofSeconds(10)
        ctx.lines.last() == 'reading release portal in namespace tyk was cancelled; the Helm process was killed'
        children() == []
    }
}
