package io.lockstep.dsl

import io.lockstep.dsl.internal.Batches
import io.lockstep.dsl.internal.DslError
import io.lockstep.dsl.internal.Values
import spock.lang.Specification
import spock.lang.Unroll

import java.time.Duration

class BatchesSpec extends Specification {

    @Unroll
    def "batches #spec over #total targets are #sizes"() {
        expect:
        Batches.sizes(spec, total) == sizes

        where:
        spec          | total || sizes
        [1, '25%']    | 9     || [1, 3, 3, 2]
        [1, '25%']    | 1     || [1]
        1             | 3     || [1, 1, 1]
        '50%'         | 5     || [3, 2]
        [2, 5]        | 10    || [2, 5, 3]
        ['100%']      | 4     || [4]
        [1, 2, '50%'] | 10    || [1, 2, 5, 2]
        ['10%']       | 3     || [1, 1, 1]
    }

    @Unroll
    def "maxFailures #spec over #total targets is a share of #share"() {
        expect:
        Batches.failureShare(spec, total) == share

        where:
        spec   | total || share
        null   | 4     || 0.0d
        '20%'  | 9     || 0.2d
        '0%'   | 9     || 0.0d
        2      | 8     || 0.25d
        '100%' | 3     || 1.0d
    }

    @Unroll
    def "bad batches #spec are refused"() {
        when:
        Batches.sizes(spec, 5)

        then:
        thrown(DslError)

        where:
        spec << [[], [0], ['0%'], ['150%'], ['abc'], [1.5]]
    }

    @Unroll
    def "duration '#text' is #expected"() {
        expect:
        Values.duration(text) == expected

        where:
        text    || expected
        '500ms' || Duration.ofMillis(500)
        '30s'   || Duration.ofSeconds(30)
        '2m'    || Duration.ofMinutes(2)
        '1h'    || Duration.ofHours(1)
        '1m30s' || Duration.ofSeconds(90)
    }
}
