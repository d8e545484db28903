package io.lockstep.kubernetes

/**
 * A {@link FakeKubeApi} Helm's real install, upgrade, history and uninstall work against, with
 * Helm's default storage driver (Secrets): discovery documents, protobuf release Secrets decoded,
 * strategic merge patches applied, every answer marked JSON.
 */
class HelmKubeApi {

    static FakeKubeApi start(FakeKubeApi.Route... extra) {
        List<FakeKubeApi.Route> routes = []
        routes.addAll(extra)
        routes.addAll([new DiscoveryRoute(), new ProtobufSecretRoute(), new StrategicMergeRoute(), new JsonStoreRoute()])
        FakeKubeApi.start(routes as FakeKubeApi.Route[])
    }
}
