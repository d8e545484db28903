playbook('p') {
    rolling('restart', over: targets(role: 'gateway')) { t ->
        command 'restart', args: ['ssh-stub', t.hots]
    }
}
