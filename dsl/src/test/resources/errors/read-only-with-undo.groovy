playbook('p') {
    verify {
        command('check', args: ['grep', '-q', 'ok', 'status.txt']) {
            compensate { command args: ['true'] }
            readOnly()
        }
    }
}
