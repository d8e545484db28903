playbook('p') {
    phase('db') {
        command 'connect', shell: "psql postgres://app:${secret('dbPasword')}@db/app"
    }
}
