playbook('p') {
    phase('upgrade') {
        command 'stop', args: ['bin/service', 'stop']
        command 'start', args: ['bin/service', 'start']
        command 'stop', args: ['bin/service', 'stop', '--force']
    }
}
