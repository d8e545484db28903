// The gateway as the integration testbed runs it (src/testbed/README.md): the stand-in images in
// the testbed registry. The config file is the one mounted at /opt/tyk-gateway/tyk.conf.
environment('testbed') {
    vars {
        gatewayContainer = 'tyk-gateway'
        gatewayImage = '127.0.0.1:5000/tyk-gateway'
        gatewayUrl = 'http://127.0.0.1:8080'
        gatewayConfig = '../../build/tyk-gateway/tyk.conf'
        composeFile = '../../build/tyk-gateway/docker-compose.yaml'
        composeService = 'tyk-gateway'
        dockerConfig = '../../build/testbed/docker-config'
    }
}
