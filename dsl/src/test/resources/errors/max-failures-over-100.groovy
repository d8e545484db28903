playbook('p') {
    rolling('restart', over: targets(), maxFailures: '120%') { t ->
        command 'restart', args: ['ssh-stub', t.host]
    }
}
