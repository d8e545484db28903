package io.lockstep.kubernetes

import io.lockstep.engine.RunStatus
import io.lockstep.engine.model.Step
import io.lockstep.steps.EditedFiles
import io.lockstep.testing.TestStepContext
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

/**
 * setManifestImage edits one image value of a manifest as text, no cluster involved: the exact bytes
 * after the edit and after the undo in a rollback, the refusals, and a second run in the same run.
 */
class SetManifestImageSpec extends Specification {

    /** The OSS gateway's manifests as playbooks/tyk-gateway/kubernetes/gateway.yaml writes them. */
    static final String GATEWAY = '''\
# The OSS gateway's manifests, after the upgrade guide's demo (tyk-oss-k8s-deployment): its
# configuration, the gateway Deployment whose image line an upgrade edits, its Service, and Redis.
apiVersion: v1
kind: ConfigMap
metadata:
  name: tyk-gateway-conf
data:
  tyk.conf: |
    {
      "listen_port": 8080,
      "secret": "352d20ee67be67f6340b4c0605b044b7",
      "storage": { "type": "redis", "host": "redis", "port": 6379 },
      "app_path": "/opt/tyk-gateway/apps",
      "policies": { "policy_source": "file", "policy_path": "/opt/tyk-gateway/policies" }
    }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: tyk-gtw
  labels:
    app: tyk-gtw
spec:
  replicas: 2
  selector:
    matchLabels:
      app: tyk-gtw
  template:
    metadata:
      labels:
        app: tyk-gtw
    spec:
      containers:
        - name: tyk-gtw
          image: "tykio/tyk-gateway:v5.2.0"
          ports:
            - containerPort: 8080
          volumeMounts:
            - name: tyk-gateway-conf
              mountPath: /opt/tyk-gateway/tyk.conf
              subPath: tyk.conf
      volumes:
        - name: tyk-gateway-conf
          configMap:
            name: tyk-gateway-conf
---
apiVersion: v1
kind: Service
metadata:
  name: tyk-svc
spec:
  selector:
    app: tyk-gtw
  ports:
    - port: 8080
      targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis
  labels:
    app: redis
spec:
  replicas: 1
  selector:
    matchLabels:
      app: redis
  template:
    metadata:
      labels:
        app: redis
    spec:
      containers:
        - name: redis
          image: "redis:7.2"
          ports:
            - containerPort: 6379
---
apiVersion: v1
kind: Service
metadata:
  name: redis
spec:
  selector:
    app: redis
  ports:
    - port: 6379
'''

    /** A statefulset with two containers, plain and single-quoted images and comments on the lines. */
    static final String STATEFUL = '''\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: tyk-redis
spec:
  serviceName: tyk-redis
  selector:
    matchLabels: {app: tyk-redis}
  template:
    metadata:
      labels: {app: tyk-redis}
    spec:
      containers:
      - name: redis
        image: redis:7.2   # pinned by the upgrade playbook
      - name: exporter
        image: 'oliver006/redis_exporter:v1.58.0'
'''

    @TempDir
    Path dir

    KubeRun run

    def setup() {
        run = new KubeRun(dir)
    }

    Path manifest(String name = 'gateway.yaml', String text = GATEWAY) {
        Path file = dir.resolve('manifests').resolve(name)
        Files.createDirectories(file.parent)
        Files.writeString(file, text)
        file
    }

    static Step step(Map args) {
        KubeRun.step('setManifestImage', 'upgrade/set-image', [file: 'manifests/gateway.yaml', name: 'tyk-gtw'] + args)
    }

    def "tag form: only the value changes, its quotes stay, redis keeps its image; the plan says what and where"() {
        given:
        Path file = manifest()

        expect:
        step(container: 'tyk-gtw', tag: 'v5.3.0').description() ==
                'set the image of container tyk-gtw of deployment tyk-gtw in manifests/gateway.yaml to tag v5.3.0 of its image'
        step(tag: 'v5.3.0').compensation().description() == 'put manifests/gateway.yaml back as it was (refused if it was edited since)'

        when:
        def result = run.run(step(container: 'tyk-gtw', tag: 'v5.3.0'))

        then:
        result.status() == RunStatus.SUCCEEDED
        Files.readString(file) == GATEWAY.replace('image: "tykio/tyk-gateway:v5.2.0"', 'image: "tykio/tyk-gateway:v5.3.0"')
        Files.readString(file).contains('image: "redis:7.2"')
        with(result.outputs()['upgrade/set-image']) {
            it.file == file.toString()
            kind == 'deployment'
            name == 'tyk-gtw'
            container == 'tyk-gtw'
            document == 2
            previousImage == 'tykio/tyk-gateway:v5.2.0'
            image == 'tykio/tyk-gateway:v5.3.0'
            changed == true
            Files.readString(Path.of(backup)) == GATEWAY
            originalSha256 == EditedFiles.sha256(GATEWAY.bytes)
            sha256 == EditedFiles.sha256(Files.readAllBytes(file))
        }
    }

    def "image form on a statefulset: a plain value keeps its comment, a single-quoted one its quotes, and permissions stay"() {
        given:
        Path file = manifest('redis.yaml', STATEFUL)
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString('rw-r-----'))

        when:
        def result = run.run(
                KubeRun.step('setManifestImage', 'redis', [file: 'manifests/redis.yaml', kind: 'statefulset', name: 'tyk-redis',
                        container: 'redis', image: 'registry.local:5000/redis:7.4']),
                KubeRun.step('setManifestImage', 'exporter', [file: 'manifests/redis.yaml', kind: 'statefulset', name: 'tyk-redis',
                        container: 'exporter', tag: 'v1.62.0']))

        then:
        result.status() == RunStatus.SUCCEEDED
        Files.readString(file) == STATEFUL
                .replace('image: redis:7.2   #', 'image: registry.local:5000/redis:7.4   #')
                .replace("image: 'oliver006/redis_exporter:v1.58.0'", "image: 'oliver006/redis_exporter:v1.62.0'")
        Files.getPosixFilePermissions(file) == PosixFilePermissions.fromString('rw-r-----')
    }

    def "a directory of two files: the one that defines the workload is edited, the other is left alone"() {
        given:
        Path redis = manifest('01-redis.yaml', STATEFUL)
        Path gateway = manifest('02-gateway.yml', GATEWAY)

        when:
        def result = run.run(step(file: 'manifests', image: 'tykio/tyk-gateway:v5.3.0'))

        then:
        result.status() == RunStatus.SUCCEEDED
        result.outputs()['upgrade/set-image'].file == gateway.toString()
        Files.readString(gateway) == GATEWAY.replace('tykio/tyk-gateway:v5.2.0', 'tykio/tyk-gateway:v5.3.0')
        Files.readString(redis) == STATEFUL
    }

    def "CRLF line endings stay, and only the named container's line changes when another names the same image"() {
        given:
        String twin = GATEWAY.replace('''        - name: tyk-gtw
          image: "tykio/tyk-gateway:v5.2.0"
''', '''        - name: tyk-gtw
          image: "tykio/tyk-gateway:v5.2.0"
        - name: tyk-sidecar # same image, other arguments
          image: "tykio/tyk-gateway:v5.2.0"
''').replace('\n', '\r\n')
        Path file = manifest('gateway.yaml', twin)

        when:
        def result = run.run(step(container: 'tyk-sidecar', tag: 'v5.3.0'))

        then:
        result.status() == RunStatus.SUCCEEDED
        Files.readString(file) == twin.replace('''tyk-sidecar # same image, other arguments\r\n          image: "tykio/tyk-gateway:v5.2.0"''',
                '''tyk-sidecar # same image, other arguments\r\n          image: "tykio/tyk-gateway:v5.3.0"''')
        Files.readString(file).contains('- name: tyk-gtw\r\n          image: "tykio/tyk-gateway:v5.2.0"')
    }

    def "a rollback puts the original bytes back"() {
        given:
        Path file = manifest()
        String during = null

        when:
        def result = run.run(step(tag: 'v5.3.0'), KubeRun.doing('look', { during = Files.readString(file) }), KubeRun.failing())

        then:
        during.contains('image: "tykio/tyk-gateway:v5.3.0"')
        result.status() == RunStatus.ROLLED_BACK
        run.trace().findAll { it.startsWith('COMPENSATION') } ==
                ['COMPENSATION_STARTED upgrade/set-image', 'COMPENSATION_FINISHED upgrade/set-image']
        Files.readAllBytes(file) == GATEWAY.bytes
    }

    def "the undo refuses a file edited after the step wrote it, and says where the original is"() {
        given:
        Path file = manifest()
        String edited = null

        when:
        def result = run.run(step(tag: 'v5.3.0'), KubeRun.doing('someone-else', {
            edited = Files.readString(file).replace('replicas: 2', 'replicas: 4')
            Files.writeString(file, edited)
        }), KubeRun.failing())

        then:
        result.status() == RunStatus.COMPENSATION_FAILED
        String message = compensationError()
        message.contains("refusing to restore $file: it was changed after step 'upgrade/set-image' wrote it (sha256 ${EditedFiles.sha256(edited.bytes)}")
        message.contains('compare the two, copy the original back (or merge by hand), then run the rollback again')
        Files.readString(file) == edited
    }

    def "run twice in the same run: the second run changes nothing and keeps the first original; the probe agrees"() {
        given:
        Path file = manifest()
        def ctx = new TestStepContext(dir)
        ctx.stepId = 'upgrade/set-image'
        Step set = step(tag: 'v5.3.0')

        expect:
        set.probe().check(ctx).isEmpty()

        when:
        Map first = set.action().execute(ctx)
        byte[] after = Files.readAllBytes(file)
        Map second = set.action().execute(ctx)

        then:
        Files.readAllBytes(file) == after
        second == first
        second.previousImage == 'tykio/tyk-gateway:v5.2.0'
        second.changed == true
        Files.readString(Path.of(second.backup)) == GATEWAY
        ctx.lines.last() == "container tyk-gtw of deployment tyk-gtw in $file already names tykio/tyk-gateway:v5.3.0".toString()
        set.probe().check(ctx).get() == first
    }

    def "no such workload: the error names the path, the files and what is there"() {
        given:
        manifest('a.yaml', STATEFUL)
        manifest('b.yaml', GATEWAY)

        when:
        def result = run.run(step(file: file, name: name, tag: 'v5.3.0'))

        then:
        result.failedStep() == 'upgrade/set-image'
        result.error().contains(message.replace('DIR', dir.resolve('manifests').toString()))

        where:
        file                    | name      || message
        'manifests'             | 'tyk-gw'  || 'no deployment tyk-gw in DIR (files: a.yaml, b.yaml; deployments there: tyk-gtw, redis): correct name: or kind:, or set file: to the manifest that defines the workload'
        'manifests/a.yaml'      | 'tyk-gtw' || 'no deployment tyk-gtw in DIR/a.yaml (no deployment at all): correct name: or kind:'
    }

    def "a workload defined twice is refused with both places"() {
        given:
        manifest('a.yaml', GATEWAY)
        manifest('b.yaml', GATEWAY)

        when:
        def result = run.run(step(file: 'manifests', tag: 'v5.3.0'))

        then:
        result.error().contains('deployment tyk-gtw is defined 2 times in ' + dir.resolve('manifests') +
                ' (a.yaml document 2, b.yaml document 2): keep one definition, or set file: to the file the step should edit')
        Files.readString(dir.resolve('manifests/a.yaml')) == GATEWAY
    }

    def "a container the pod template lacks, or several and no name, are named in the error"() {
        given:
        Path file = manifest('redis.yaml', STATEFUL)

        when:
        def result = run.run(KubeRun.step('setManifestImage', 'set', [file: 'manifests/redis.yaml', kind: 'statefulset',
                name: 'tyk-redis'] + args))

        then:
        result.error().contains(message.replace('FILE', file.toString()))
        Files.readString(file) == STATEFUL

        where:
        args                                || message
        [container: 'redis-x', tag: '8']    || "the pod template of statefulset tyk-redis in FILE, document 1 has no container 'redis-x' (it has [redis, exporter]): correct container:"
        [tag: '8']                          || 'the pod template of statefulset tyk-redis in FILE, document 1 has 2 containers [redis, exporter]: set container: to the one the step is about'
    }

    def "an image written through a YAML alias is refused, not guessed at"() {
        given:
        String text = STATEFUL.replace("image: redis:7.2   # pinned by the upgrade playbook", "image: &img redis:7.2")
                .replace("image: 'oliver006/redis_exporter:v1.58.0'", 'image: *img')
        Path file = manifest('redis.yaml', text)

        when:
        def result = run.run(KubeRun.step('setManifestImage', 'set', [file: 'manifests/redis.yaml', kind: 'statefulset',
                name: 'tyk-redis', container: 'exporter', tag: '8']))

        then:
        result.error().contains("cannot edit $file, document 1, line 17: the image of container exporter is not written as a plain or quoted name:tag on its image: line")
        Files.readString(file) == text
    }

    def "exactly one of image and tag"() {
        when:
        step(image: 'a:1', tag: '2')

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "setManifestImage 'upgrade/set-image': give exactly one of image (the whole reference, registry/name:tag) or tag (only the tag of the image the manifest names)"
    }

    String compensationError() {
        run.store.open(run.result.runId()).withCloseable { journal ->
            journal.records().findAll { it.type().toString() == 'COMPENSATION_FAILED' }.collect { it.toString() }.join('\n')
        }
    }
}
