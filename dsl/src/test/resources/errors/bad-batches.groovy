playbook('p') {
    rolling('restart', over: targets(role: 'gateway'), batches: [1, 'half']) { t ->
        command 'restart', args: ['ssh-stub', t.host]
    }
}
