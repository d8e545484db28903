package io.lockstep.steps

import io.lockstep.steps.logs.LogRules
import io.lockstep.steps.logs.LogScanResult
import io.lockstep.steps.logs.LogScanner
import io.lockstep.steps.logs.TimestampExtractor
import spock.lang.Specification
import spock.lang.Unroll

import java.nio.charset.StandardCharsets
import java.time.Instant
import java.time.ZoneOffset

class LogScannerSpec extends Specification {

    TimestampExtractor utc = TimestampExtractor.standard(ZoneOffset.UTC)

    private LogScanResult scan(LogRules rules, String text) {
        LogScanner.scan(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), rules)
    }

    @Unroll
    def "finds the timestamp in '#line'"() {
        expect:
        utc.extract(line) == (expected == null ? null : Instant.parse(expected))

        where:
        line                                                                  || expected
        '2024-07-07T08:15:03Z level=info msg=started'                         || '2024-07-07T08:15:03Z'
        '2024-07-07T08:15:03.123456789Z stdout F hello'                       || '2024-07-07T08:15:03.123456789Z'
        '2024-07-07 10:15:03,250 ERROR [main] boom'                           || '2024-07-07T10:15:03.250Z'
        '[2024-07-07T10:15:03+02:00] [error] failed'                          || '2024-07-07T08:15:03Z'
        '2024-07-07T10:15:03+0200 host portal[1]: up'                         || '2024-07-07T08:15:03Z'
        'time="2024-07-07T08:15:03Z" level=error msg="failed to connect"'     || '2024-07-07T08:15:03Z'
        'level=info ts=2024-07-07T08:15:03.5Z msg=ok'                         || '2024-07-07T08:15:03.500Z'
        '{"level":"info","time":"2024-07-07T08:15:03Z","msg":"AutoMigrate"}'  || '2024-07-07T08:15:03Z'
        'uptime=2024-07-07T08:15:03Z no field of ours'                        || null
        '    at io.lockstep.Foo.bar(Foo.java:12)'                             || null
        ''                                                                    || null
    }

    def "reads syslog stamps as Tyk writes them, with the year that puts them in the past"() {
        given:
        int year = java.time.Year.now(ZoneOffset.UTC).value
        Instant at = utc.extract('time="Jul  7 08:15:03" level=info msg="Gateway started (v5.3.1)"')

        expect:
        at.toString().endsWith('-07-07T08:15:03Z')
        at.atZone(ZoneOffset.UTC).year in [year, year - 1]
        !at.isAfter(Instant.now().plusSeconds(86_400))
        utc.extract('Dec 31 23:59:59 host app[1]: x').atZone(ZoneOffset.UTC).monthValue == 12
    }

    def "only lines written at or after since count; lines without a timestamp inherit the previous one"() {
        given:
        LogRules rules = LogRules.builder()
                .errors(LogRules.DEFAULT_ERRORS)
                .expect(['AutoMigrate', 'listening on'])
                .since(Instant.parse('2024-07-07T08:15:03.400Z'))
                .timestamps(utc)
                .build()
        String log = '''\
            goroutine dump from an earlier crash
            time="2024-07-07T08:14:00Z" level=error msg="old failure, before the upgrade"
            panic: old panic
            time="2024-07-07T08:15:03Z" level=info msg="AutoMigrate done"
            2024-07-07T08:15:04.000Z [error] cannot open cache
                at cache.Open(cache.go:12) fatal detail
            time="2024-07-07T08:15:05Z" level=info msg="ready"
            '''.stripIndent()

        when:
        LogScanResult result = scan(rules, log)

        then:
        result.linesRead() == 7
        result.linesUndated() == 1
        result.linesScanned() == 4
        result.errorCount() == 2
        result.errorLines()*.toString() == [
                '5: 2024-07-07T08:15:04.000Z [error] cannot open cache',
                '6:     at cache.Open(cache.go:12) fatal detail']
        result.expectedFound() == ['AutoMigrate']
        result.expectedMissing() == ['listening on']
        !result.clean()
        result.timestampsFound()
    }

    def "without since every line counts"() {
        given:
        LogRules rules = LogRules.builder().errors(LogRules.DEFAULT_ERRORS).expect(['started']).build()

        when:
        LogScanResult result = scan(rules, 'started\nlevel=error msg=x\nPANIC now\nall fine')

        then:
        result.linesScanned() == 4
        result.errorLines()*.number == [2L, 3L]
        result.expectedMissing() == []
    }

    def "a clean log is clean"() {
        when:
        LogScanResult result = scan(LogRules.builder().errors(LogRules.DEFAULT_ERRORS).expect(['ready']).build(),
                'level=info msg=ready\nlevel=warn msg="slow disk"\n')

        then:
        result.clean()
        result.errorCount() == 0
        result.expectedFound() == ['ready']
    }

    def "keeps the first 20 offending lines and counts the rest"() {
        given:
        String log = (1..50).collect { "level=error msg=\"failure $it\"" }.join('\n')

        when:
        LogScanResult result = scan(LogRules.builder().errors(LogRules.DEFAULT_ERRORS).build(), log)

        then:
        result.errorCount() == 50
        result.errorLines().size() == 20
        result.errorLines().last().toString() == '20: level=error msg="failure 20"'
    }

    def "a line in the same second as since counts when its timestamp has whole seconds only"() {
        given:
        LogRules rules = LogRules.builder().errors(['boom']).since(Instant.parse('2024-07-07T08:15:03.700Z'))
                .timestamps(utc).build()

        when:
        LogScanResult result = scan(rules, '''\
            time="2024-07-07T08:15:02Z" boom before
            time="2024-07-07T08:15:03Z" boom same second
            time="2024-07-07T08:15:03.100Z" boom earlier in the same second, precisely
            '''.stripIndent())

        then:
        result.errorLines()*.number == [2L]
    }
}
