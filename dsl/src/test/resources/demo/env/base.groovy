environment('base') {
    vars {
        serviceDir = 'build/demo/base'
        port = 8080
        logLevel = 'info'
    }
    secrets {
        dbPassword 'BASE_DB_PASSWORD'
        apiToken 'BASE_API_TOKEN'
    }
    targets {
        target 'db-1', roles: ['db'], host: '10.0.0.1'
        target 'gw-1', roles: ['gateway'], host: '10.0.0.2', port: 2200
    }
}
