playbook('p') {
    phase('a') {
        command('stop', args: ['bin/service', 'stop']) {
            compnsate { command args: ['bin/service', 'start'] }
        }
    }
}
