package io.lockstep.ssh

import spock.lang.Specification

/** Quoting words for the remote POSIX shell, and checking step arguments before anything runs. */
class ShellQuoteSpec extends Specification {

    def "plain words stay bare; everything else is single-quoted with '\\'' for quotes"() {
        expect:
        ShellQuote.quote(word) == quoted

        where:
        word                || quoted
        'systemctl'         || 'systemctl'
        '/opt/app-1.2/bin'  || '/opt/app-1.2/bin'
        '--since=1h'        || "'--since=1h'"
        'A=b'               || "'A=b'"
        ''                  || "''"
        "it's"              || "'it'\\''s'"
        '$(id)'             || "'\$(id)'"
        'a b'               || "'a b'"
        "x\ny"              || "'x\ny'"
        '*'                 || "'*'"
        '~'                 || "'~'"
        'ü'                 || "'ü'"
    }

    def "a line is the quoted words joined by spaces"() {
        expect:
        ShellQuote.join(['printf', '%s\\n', "it's", '']) == "printf '%s\\n' 'it'\\''s' ''"
    }

    def "the ssh step checks its arguments when the playbook is built"() {
        when:
        SshTestbed.step('ssh', 'bad', args)

        then:
        IllegalArgumentException e = thrown()
        e.message == message

        where:
        args                                  || message
        [:]                                   || "ssh 'bad': give exactly one of args (a list: program and arguments, each quoted) or shell (a line for sh -c on the host)"
        [args: ['a'], shell: 'b']             || "ssh 'bad': give exactly one of args (a list: program and arguments, each quoted) or shell (a line for sh -c on the host)"
        [args: []]                            || "ssh 'bad': args must name a program"
        [args: ['env'], env: ['A-B': 'x']]    || "ssh 'bad': env name 'A-B' is not a variable name (letters, digits and _, not starting with a digit)"
        [args: ['id'], sudo: 5]               || "ssh 'bad': sudo must be true, false or a user name, got '5'"
        [args: ['id'], okExitCodes: ['x']]    || "ssh 'bad': okExitCodes must be numbers, got 'x'"
    }

    def "plans show what runs where, without resolving anything"() {
        when:
        def step = SshTestbed.step('ssh', 'stop', [args: ['systemctl', 'stop', 'tyk'], sudo: true, host: 'gw-1', user: 'deploy']).build()

        then:
        step.description() == 'run [systemctl, stop, tyk] as root (sudo) on deploy@gw-1'
        step.compensation().kind().name() == 'UNDECLARED'
    }

    def "uploadFile takes only octal modes"() {
        when:
        SshTestbed.step('uploadFile', 'u', [source: 'a', path: '/b', mode: 'u+x'])

        then:
        IllegalArgumentException e = thrown()
        e.message == "uploadFile 'u': mode must be octal such as '0644', got 'u+x'"
    }
}
