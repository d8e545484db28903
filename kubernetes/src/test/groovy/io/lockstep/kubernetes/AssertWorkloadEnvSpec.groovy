package io.lockstep.kubernetes

import io.fabric8.kubernetes.api.model.ConfigMapBuilder
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder
import io.fabric8.kubernetes.api.model.EnvVar
import io.fabric8.kubernetes.api.model.EnvVarBuilder
import io.fabric8.kubernetes.api.model.SecretBuilder
import io.fabric8.kubernetes.api.model.apps.Deployment
import io.lockstep.engine.RunStatus

/**
 * assertWorkloadEnv: the portal guide's mandatory database settings, read from a Deployment's pod
 * template and the ConfigMaps and Secrets it names, as the pod would get them.
 */
class AssertWorkloadEnvSpec extends KubeRunSpecification {

    static final String CONNECTION = 'host=db user=portal password=s3cret dbname=portal'

    void portal(List<EnvVar> env, List envFrom = []) {
        Deployment d = KubeRun.deployment('tyk-dev-portal', ['tyk-portal': 'tykio/portal:1.14.1'])
        d.spec.template.spec.containers[0].env = env
        d.spec.template.spec.containers[0].envFrom = envFrom
        kube.resource(d).create()
    }

    static EnvVar literal(String name, String value) {
        new EnvVarBuilder().withName(name).withValue(value).build()
    }

    static EnvVar fromSecret(String name, String secret, String key) {
        new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key)
                .endSecretKeyRef().endValueFrom().build()
    }

    def check() {
        KubeRun.step('assertWorkloadEnv', 'preflight/database-settings', [kubeconfig: kubeconfig, name: 'tyk-dev-portal',
                matches: [PORTAL_DATABASE_DIALECT: '^(postgres|mysql)$', PORTAL_DATABASE_CONNECTIONSTRING: '.+'],
                show: ['PORTAL_DATABASE_DIALECT']])
    }

    def "the dialect from a ConfigMap and the connection string from a Secret pass; the secret value is neither logged nor output"() {
        given:
        kube.resource(new ConfigMapBuilder().withNewMetadata().withName('portal-config').endMetadata()
                .addToData('DATABASE_DIALECT', 'postgres').build()).create()
        kube.resource(new SecretBuilder().withNewMetadata().withName('portal-db').endMetadata()
                .addToData('connection', CONNECTION.bytes.encodeBase64().toString()).build()).create()
        portal([fromSecret('PORTAL_DATABASE_CONNECTIONSTRING', 'portal-db', 'connection')],
                [new EnvFromSourceBuilder().withPrefix('PORTAL_').withNewConfigMapRef().withName('portal-config').endConfigMapRef().build()])

        expect:
        check().description() == 'check that the container of deployment tyk-dev-portal gets ' +
                'PORTAL_DATABASE_DIALECT, PORTAL_DATABASE_CONNECTIONSTRING'

        when:
        def result = run.run(check())

        then:
        result.status() == RunStatus.SUCCEEDED
        result.outputs()['preflight/database-settings'] == [kind: 'deployment', name: 'tyk-dev-portal', container: 'tyk-portal',
                checked: ['PORTAL_DATABASE_DIALECT', 'PORTAL_DATABASE_CONNECTIONSTRING'], values: [PORTAL_DATABASE_DIALECT: 'postgres']]
        run.log == ["preflight/database-settings: PORTAL_DATABASE_DIALECT ('postgres') matches /^(postgres|mysql)\$/",
                   'preflight/database-settings: PORTAL_DATABASE_CONNECTIONSTRING matches /.+/']
        !run.log.any { it.contains('s3cret') }
    }

    def "sqlite, and a connection string whose Secret does not exist, fail the preflight naming both"() {
        given:
        portal([literal('PORTAL_DATABASE_DIALECT', 'sqlite3'), fromSecret('PORTAL_DATABASE_CONNECTIONSTRING', 'portal-db', 'connection')])

        when:
        def result = run.run(check())

        then:
        result.status() == RunStatus.ROLLED_BACK
        result.error() == "container tyk-portal of deployment tyk-dev-portal (namespace tyk) environment: " +
                "PORTAL_DATABASE_DIALECT ('sqlite3') does not match /^(postgres|mysql)\$/; " +
                'PORTAL_DATABASE_CONNECTIONSTRING is set from key connection of secret portal-db, which does not exist in namespace tyk'
    }

    def "a variable set later wins, as in the pod: env over envFrom; a missing one is named"() {
        given:
        kube.resource(new ConfigMapBuilder().withNewMetadata().withName('portal-config').endMetadata()
                .addToData('PORTAL_DATABASE_DIALECT', 'sqlite3').build()).create()
        portal([literal('PORTAL_DATABASE_DIALECT', 'mysql')],
                [new EnvFromSourceBuilder().withNewConfigMapRef().withName('portal-config').endConfigMapRef().build()])

        when:
        def result = run.run(check())

        then:
        result.error() == 'container tyk-portal of deployment tyk-dev-portal (namespace tyk) environment: ' +
                'PORTAL_DATABASE_CONNECTIONSTRING is not set'
        run.log == ["preflight/database-settings: PORTAL_DATABASE_DIALECT ('mysql') matches /^(postgres|mysql)\$/"]
    }
}
