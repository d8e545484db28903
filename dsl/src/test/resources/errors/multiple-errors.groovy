playbook('p') {
    param 'version', String, required: true
    preflight {
        backupFile 'data', path: 'x'
        command 'c', args: ['echo', parms.version]
    }
    phase('upgrade') {
        command 'stop', args: ['stop'], timeot: '5s'
        command 'stop', args: ['stop']
        httpCheck 'h', url: 'http://x', requestTimeout: 'soon'
    }
    rolling('r', over: targets(role: 'nope')) { t ->
        command 'x', args: [t.host]
    }
}
