package io.lockstep.steps

import io.lockstep.steps.logs.LogFileReader
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardOpenOption

class LogFileReaderSpec extends Specification {

    @TempDir
    Path dir

    List<String> lines = []

    def "reads appended lines, holding back a line until its newline arrives"() {
        given:
        Path file = dir.resolve('app.log')
        Files.writeString(file, 'one\ntw')
        LogFileReader reader = new LogFileReader(file, lines::add)

        when:
        reader.readAvailable()

        then:
        lines == ['one']

        when:
        Files.writeString(file, 'o\r\nthree', StandardOpenOption.APPEND)
        reader.readAvailable()
        reader.finish()

        then:
        lines == ['one', 'two', 'three']

        cleanup:
        reader?.close()
    }

    def "follows a log rotated by rename to the new file"() {
        given:
        Path file = dir.resolve('app.log')
        Files.writeString(file, 'old 1\n')
        LogFileReader reader = new LogFileReader(file, lines::add)
        reader.readAvailable()

        when:
        Files.writeString(file, 'old 2\n', StandardOpenOption.APPEND)
        Files.move(file, dir.resolve('app.log.1'))
        Files.writeString(file, 'new 1\n')
        reader.readAvailable()

        then:
        lines == ['old 1', 'old 2', 'new 1']

        cleanup:
        reader?.close()
    }

    def "reads a log truncated in place from its start again"() {
        given:
        Path file = dir.resolve('app.log')
        Files.writeString(file, 'a long first line before copytruncate\n')
        LogFileReader reader = new LogFileReader(file, lines::add)
        reader.readAvailable()

        when:
        Files.writeString(file, 'fresh\n')
        reader.readAvailable()

        then:
        lines == ['a long first line before copytruncate', 'fresh']

        cleanup:
        reader?.close()
    }

    def "a line longer than the limit keeps its start and says how much was cut"() {
        given:
        Path file = dir.resolve('app.log')
        Files.writeString(file, 'x' * 70_000 + '\nnext\n')
        LogFileReader reader = new LogFileReader(file, lines::add)

        when:
        reader.readAvailable()

        then:
        lines.size() == 2
        lines[0] == 'x' * 65_536 + ' [4464 more bytes]'
        lines[1] == 'next'

        cleanup:
        reader?.close()
    }
}
