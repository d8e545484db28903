package io.lockstep.steps.logs

import spock.lang.Specification
import spock.lang.Unroll

import java.util.regex.Pattern

class LineMatcherSpec extends Specification {

    @Unroll
    def "the literal every match of /#regex/ contains is '#literal'"() {
        expect:
        LineMatcher.requiredLiteral(regex) == literal

        where:
        regex                      || literal
        '\\bpanic\\b'              || 'panic'
        '\\[error\\]'              || '[error]'
        'level=error'              || 'level=error'
        'started version \\d+'     || 'started version '
        'colou?r'                  || 'colo'
        'ab+c'                     || 'ab'
        'x{2,3}yz'                 || 'yz'
        '(optional)?tail'          || 'tail'
        'a[bc]defg'                || 'defg'
        '^Gateway started.*$'      || 'Gateway started'
        'fail|error'               || null
        '(?<name>x)'               || null
        '\\p{Lu}rror'              || null
    }

    @Unroll
    def "/#regex/ matches '#line': #matches, with or without the pre-check"() {
        given:
        LineMatcher matcher = new LineMatcher(Pattern.compile(regex))

        expect:
        matcher.find(line, line.toLowerCase(Locale.ROOT)) == matches
        Pattern.compile(regex).matcher(line).find() == matches

        where:
        regex                 | line                           || matches
        '(?i)\\bpanic\\b'     | 'PANIC: nil pointer'           || true
        '(?i)\\bpanic\\b'     | 'panicking is fine'            || false
        '(?i)\\[error\\]'     | '2024 [Error] disk'            || true
        '(?i)level=error'     | 'level=info msg="no errors"'   || false
        'AutoMigrate'         | 'running automigrate'          || false
        'AutoMigrate'         | 'GORM AutoMigrate done'        || true
        '(?i)fail|error'      | 'Failed to connect'            || true
    }
}
