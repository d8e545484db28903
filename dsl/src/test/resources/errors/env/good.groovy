environment('test') {
    vars {
        serviceDir = 'build/svc'
        port = 18080
    }
    secrets {
        dbPassword 'TEST_DB_PASSWORD'
    }
    targets {
        target 'gw-1', roles: ['gateway'], host: '127.0.0.1'
        target 'gw-2', roles: ['gateway'], host: '127.0.0.1'
        target 'db-1', roles: ['db'], host: '127.0.0.1'
    }
}
