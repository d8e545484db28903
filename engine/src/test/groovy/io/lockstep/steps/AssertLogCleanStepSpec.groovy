package io.lockstep.steps

import groovy.transform.CompileStatic
import io.lockstep.engine.model.Step
import io.lockstep.steps.logs.AssertLogCleanStepType
import io.lockstep.steps.logs.LogRules
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardOpenOption
import java.time.Duration
import java.time.Instant
import java.time.ZoneId
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter

class AssertLogCleanStepSpec extends Specification {

    @TempDir
    Path dir

    TestStepContext ctx

    def setup() {
        ctx = new TestStepContext(dir)
        Files.createDirectories(dir.resolve('logs'))
    }

    private static Step step(Map args) {
        Map defaults = [errors: LogRules.DEFAULT_ERRORS, expect: [], follow: Duration.ZERO]
        new AssertLogCleanStepType().create('verify/log', defaults + args).build()
    }

    private Path log(String text) {
        Path file = dir.resolve('logs/service.log')
        Files.writeString(file, text.stripIndent())
        file
    }

    def "a clean log passes and reports what it found"() {
        given:
        log('''\
            time="2024-07-07T08:15:03Z" level=info msg="AutoMigrate"
            time="2024-07-07T08:15:04Z" level=info msg="started version 1.14.0"
            ''')
        Step step = step(file: 'logs/service.log', expect: ['started version', 'AutoMigrate'])

        when:
        Map outputs = step.action().execute(ctx)

        then:
        outputs == [linesScanned: 2L, errorCount: 0L, errorLines: [],
                    expectedFound: ['started version', 'AutoMigrate'], expectedMissing: []]
        step.idempotent()
        step.description() == "scan logs/service.log for 4 error patterns and expected lines [started version, AutoMigrate]"
    }

    def "error lines and missing expected lines fail with the first offending lines"() {
        given:
        Path file = log('''\
            time="2024-07-07T08:15:03Z" level=info msg="starting"
            time="2024-07-07T08:15:04Z" level=error msg="failed to migrate"
            [ERROR] database is locked
            ''')

        when:
        step(file: 'logs/service.log', expect: ['started version']).action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == "log $file is not clean: 2 error lines (2: time=\"2024-07-07T08:15:04Z\" level=error msg=\"failed to migrate\" | 3: [ERROR] database is locked); no line matched expected /started version/"
        ctx.lines.take(2) == ['error line 2: time="2024-07-07T08:15:04Z" level=error msg="failed to migrate"',
                              'error line 3: [ERROR] database is locked']
    }

    def "since a step: only lines written after it started count, logrus and ISO lines alike"() {
        given:
        Instant upgradeStart = Instant.now().minusSeconds(60)
        ctx.stepStarts['upgrade/start'] = upgradeStart
        log("""\
            time="${iso(upgradeStart.minusSeconds(30))}" level=error msg="old version crashed"
            ${iso(upgradeStart.minusSeconds(20))} [error] old version again
            ${iso(upgradeStart.plusSeconds(1))} level=info msg="AutoMigrate"
            time="${iso(upgradeStart.plusSeconds(2))}" level=info msg="started version 1.14.0"
            """)
        Step step = step(file: 'logs/service.log', expect: ['started version'], since: 'upgrade/start')

        when:
        Map outputs = step.action().execute(ctx)

        then:
        outputs.linesScanned == 2L
        outputs.errorLines == []
        outputs.expectedFound == ['started version']
        step.arguments().since == 'upgrade/start'
    }

    def "since a step that has not started is an error"() {
        given:
        log('line\n')

        when:
        step(file: 'logs/service.log', since: 'upgrade/start').action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == "assertLogClean: since refers to step 'upgrade/start', which has not started"
    }

    def "since cannot be applied to a log without timestamps"() {
        given:
        Path file = log('panic: no times here\nsecond line\n')
        ctx.stepStarts['upgrade/start'] = Instant.now()

        when:
        step(file: 'logs/service.log', since: 'upgrade/start').action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == "cannot check $file since step 'upgrade/start' started: none of its 2 lines carries a timestamp this step recognises"
    }

    def "a missing log file is reported"() {
        when:
        step(file: 'logs/nope.log').action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == "log file ${dir.resolve('logs/nope.log')} does not exist"
    }

    def "follow picks up lines appended by another thread until the expected line appears"() {
        given:
        Path file = log('level=info msg="starting"\n')
        Step step = step(file: 'logs/service.log', expect: ['started version'], follow: Duration.ofSeconds(60))
        Thread writer = Thread.start {
            Thread.sleep(300)
            append(file, 'level=info msg="migrating"\nlevel=info msg="sta')
            Thread.sleep(300)
            append(file, 'rted version 1.14.0"\n')
        }

        when:
        Map outputs = step.action().execute(ctx)
        writer.join()

        then:
        outputs.linesScanned == 3L
        outputs.expectedFound == ['started version']
        step.description().endsWith(', following it up to 1m')
    }

    def "follow fails at once on an appended error line"() {
        given:
        Path file = log('level=info msg="starting"\n')
        Step step = step(file: 'logs/service.log', expect: ['started version'], follow: Duration.ofSeconds(120))
        Thread writer = Thread.start {
            Thread.sleep(300)
            append(file, 'level=error msg="failed to connect to database"\n')
        }

        when:
        step.action().execute(ctx)
        writer.join()

        then:
        StepFailedException e = thrown()
        e.message == "log $file is not clean: 1 error line (2: level=error msg=\"failed to connect to database\"); no line matched expected /started version/"
    }

    def "follow gives up when the time is over and names the missing lines"() {
        given:
        Path file = log('level=info msg="starting"\n')

        when:
        step(file: 'logs/service.log', expect: ['started version'], follow: Duration.ofMillis(300)).action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == "log $file is not clean: no line matched expected /started version/"
    }

    def "follow waits for the log file to appear"() {
        given:
        Path file = dir.resolve('logs/late.log')
        Thread writer = Thread.start {
            Thread.sleep(300)
            Files.writeString(file, 'level=info msg="started version 2"\n')
        }

        when:
        Map outputs = step(file: file.toString(), expect: ['started version'], follow: Duration.ofSeconds(60))
                .action().execute(ctx)
        writer.join()

        then:
        outputs.expectedFound == ['started version']
    }

    def "a bad regex is rejected when the step is created"() {
        when:
        step(file: 'x.log', errors: ['ok', '[unclosed'])

        then:
        IllegalArgumentException e = thrown()
        e.message.startsWith("assertLogClean 'verify/log': errors[1]: invalid regular expression '[unclosed': Unclosed character class")
    }

    def "a log of about 200 MB is scanned line by line"() {
        given:
        Path file = dir.resolve('logs/big.log')
        Instant since = Instant.parse('2024-07-07T08:00:00Z')
        ctx.stepStarts['upgrade/start'] = since
        writeBigLog(file, since, 2_000_000)
        assert Files.size(file) > 190_000_000L
        Step step = step(file: file.toString(), expect: ['started version'], since: 'upgrade/start')

        when:
        step.action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == "log $file since step 'upgrade/start' started is not clean: 1 error line (1999003: ${iso(since.minusSeconds(1000).plusMillis(1_999_000))} [error] cache miss storm)"
        ctx.lines.last() == "scanned 1000002 of 2000003 lines of $file since step 'upgrade/start' started: 1 error lines, expected found [started version], missing []"
    }

    /**
     * Lines alternate between logrus and ISO-prefixed styles, a millisecond apart, starting 1000 s
     * before {@code since}; an error line before {@code since} and one after it.
     */
    @CompileStatic
    private static void writeBigLog(Path file, Instant since, long lines) {
        Files.newBufferedWriter(file).withCloseable { Writer out ->
            String padding = 'x' * 40
            StringBuilder line = new StringBuilder(160)
            for (long i = 0; i < lines; i++) {
                String at = iso(since.minusSeconds(1000).plusMillis(i))
                line.setLength(0)
                if (i % 3 == 0) {
                    line.append('time="').append(at).append('" level=info msg="request ').append(i)
                            .append(' served" pad=').append(padding).append('\n')
                } else {
                    line.append(at).append(' [info] request ').append(i).append(' served ')
                            .append(padding).append('\n')
                }
                if (i == 1_999_000 || i == 1_500) {
                    line.append(at).append(i == 1_500 ? ' [error] before the upgrade, ignored\n' : ' [error] cache miss storm\n')
                }
                out.write(line.toString())
            }
            out.write('time="2024-07-07T08:30:00Z" level=info msg="started version 5.3.1"\n')
        }
    }

    @CompileStatic
    private static String iso(Instant at) {
        DateTimeFormatter.ISO_INSTANT.format(at)
    }

    private static void append(Path file, String text) {
        Files.writeString(file, text, StandardOpenOption.APPEND)
    }
}
