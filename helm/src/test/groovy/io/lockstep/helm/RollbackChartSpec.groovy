package io.lockstep.helm

import io.lockstep.steps.StepFailedException
import spock.lang.Specification

/** Which chart the undo will use, decided before the upgrade. */
class RollbackChartSpec extends Specification {

    static final ChartSource LOCAL_NEXT = new ChartSource('/charts/tyk-dev-portal-1.1.0', null, true)
    static final ChartSource REPO_NEXT = new ChartSource('tyk-helm/tyk-dev-portal', '1.1.0', false)
    static final ChartInfo NEXT = new ChartInfo('tyk-dev-portal', '1.1.0', '1.11.0')

    def "the same chart version: the new chart itself"() {
        expect:
        RollbackChart.choose('portal', 'tyk-dev-portal-1.1.0', LOCAL_NEXT, NEXT, null, null) == LOCAL_NEXT
    }

    def "a repository chart: the same reference at the version the release runs"() {
        expect:
        RollbackChart.choose('portal', 'tyk-dev-portal-1.0.0', REPO_NEXT, NEXT, null, null) ==
                new ChartSource('tyk-helm/tyk-dev-portal', '1.0.0', false)
    }

    def "rollbackChart is used when it is the chart the release runs, and refused when it is not"() {
        given:
        ChartSource given = new ChartSource('/charts/tyk-dev-portal', null, true)

        expect:
        RollbackChart.choose('portal', 'tyk-dev-portal-1.0.0', LOCAL_NEXT, NEXT, given, new ChartInfo('tyk-dev-portal', '1.0.0', '')) == given

        when:
        RollbackChart.choose('portal', 'tyk-dev-portal-0.9.0', LOCAL_NEXT, NEXT, given, new ChartInfo('tyk-dev-portal', '1.0.0', ''))

        then:
        StepFailedException e = thrown()
        e.message == 'rollbackChart /charts/tyk-dev-portal is chart tyk-dev-portal-1.0.0, but release portal runs tyk-dev-portal-0.9.0:' +
                ' give rollbackChart the chart the release runs now; nothing was changed'
    }

    def "a repository chart of another name cannot be the way back"() {
        when:
        RollbackChart.choose('portal', 'tyk-stack-1.0.0', REPO_NEXT, NEXT, null, null)

        then:
        StepFailedException e = thrown()
        e.message == 'release portal runs chart tyk-stack-1.0.0, and the new chart tyk-helm/tyk-dev-portal version 1.1.0 is' +
                ' tyk-dev-portal-1.1.0: an undo would have no chart tyk-stack-1.0.0 to go back to. Give rollbackChart: the path' +
                ' (or repo/name) of chart tyk-stack-1.0.0; nothing was changed'
    }
}
