environment('staging') {
    inherits 'base.groovy'
    vars {
        serviceDir = 'build/demo/service'
        port = 18080
    }
    secrets {
        dbPassword 'DEMO_DB_PASSWORD'
    }
    targets {
        target 'gw-1', roles: ['gateway'], host: '127.0.0.1', port: 2201
        (2..9).each { n ->
            target "gw-${n}", roles: ['gateway'], host: '127.0.0.1', port: 2200 + n
        }
    }
}
