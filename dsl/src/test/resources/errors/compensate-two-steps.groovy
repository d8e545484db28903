playbook('p') {
    phase('upgrade') {
        command('stop', args: ['bin/service', 'stop']) {
            compensate {
                command args: ['bin/service', 'start']
                command args: ['bin/service', 'status']
            }
        }
    }
}
