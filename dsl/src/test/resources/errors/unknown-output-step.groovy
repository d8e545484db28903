playbook('p') {
    preflight {
        httpCheck 'version', url: 'http://127.0.0.1:3001/version'
    }
    verify {
        httpCheck 'same-version', url: 'http://127.0.0.1:3001/version', expectBody: "^${output('preflight/versoin', 'body')}\$"
    }
}
