playbook('p') {
    rolling('restart', over: targets(role: 'gatway')) { t ->
        command 'restart', args: ['ssh-stub', t.host]
    }
}
