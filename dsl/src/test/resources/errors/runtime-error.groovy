playbook('p') {
    phase('a') {
        command 'c', args: ['echo', vars.port.toUpperCase()]
    }
}
