playbook('p') {
    phase('upgrade') {
        command 'stop service', args: ['bin/service', 'stop']
    }
}
