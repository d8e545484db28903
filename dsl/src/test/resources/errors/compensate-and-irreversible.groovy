playbook('p') {
    phase('upgrade') {
        command('migrate', args: ['bin/migrate']) {
            compensate { command args: ['bin/migrate', 'down'] }
            irreversible 'migrations only run forward'
        }
    }
}
