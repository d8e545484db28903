playbook('p') {
    verify {
        httpCheck 'health', url: 'http://127.0.0.1:8080/health', requestTimeout: '10 secs'
    }
}
