playbook('p') {
    rolling('restart', over: [target('gw-1'), target('gw-9')]) { t ->
        command 'restart', args: ['ssh-stub', t.host]
    }
}
