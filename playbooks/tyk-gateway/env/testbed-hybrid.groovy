// A hybrid gateway on the testbed: the testbed's gateway settings, plus the credentials it
// connects to its control plane with, read from LOCKSTEP_SECRET_TYK_GATEWAY_SECRET,
// LOCKSTEP_SECRET_TYK_RPC_CREDENTIALS and LOCKSTEP_SECRET_TYK_API_CREDENTIALS.
environment('testbed-hybrid') {
    inherits 'testbed.groovy'
    vars {
        gatewayContainer = 'tyk-hybrid-gateway'
    }
    secrets {
        gatewaySecret 'tyk-gateway-secret'
        rpcCredentials 'tyk-rpc-credentials'
        apiCredentials 'tyk-api-credentials'
    }
}
