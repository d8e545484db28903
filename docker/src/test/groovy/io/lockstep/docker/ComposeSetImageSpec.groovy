package io.lockstep.docker

import io.lockstep.testing.TestStepContext
import io.lockstep.engine.model.Step
import io.lockstep.steps.StepArgs
import io.lockstep.steps.StepFailedException
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

/**
 * composeSetImage edits one value of a compose file as text: the exact bytes after the edit and after
 * its compensation, the refusals, and what it does when it runs twice. No daemon is needed.
 */
class ComposeSetImageSpec extends Specification {

    static final String TYK = '''\
# Tyk developer portal, as in the vendor's guide.
version: "3.8"

services:
  tyk-portal:
    # pinned: upgrade with the playbook, not by hand
    image: 'tykio/portal:v1.10.0'   # the portal
    container_name: tyk-portal
    ports:
    - "127.0.0.1:3001:3001"
    environment:
      - PORTAL_DATABASE_DIALECT=postgres
    depends_on: [tyk-portal-db]

  tyk-portal-db:
    image: postgres:15-alpine
    volumes:
      - portal-db:/var/lib/postgresql/data

volumes:
  portal-db: {}
'''

    @TempDir
    Path dir

    TestStepContext ctx

    def setup() {
        ctx = new TestStepContext(dir)
        ctx.stepId = 'upgrade/set-tag'
    }

    private Step step(Map args) {
        DockerTestbed.step('composeSetImage', 'upgrade/set-tag', [file: 'docker-compose.yaml', service: 'tyk-portal'] + args).build()
    }

    private Path compose(String text) {
        Path file = dir.resolve('docker-compose.yaml')
        Files.writeString(file, text)
        file
    }

    def "only the image value changes: comments, quoting, order and every other byte stay"() {
        given:
        Path file = compose(TYK)
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString('rw-r-----'))

        when:
        Map outputs = step(image: '127.0.0.1:5000/tyk-portal:v1.11.0').action().execute(ctx)

        then:
        Files.readString(file) == TYK.replace("image: 'tykio/portal:v1.10.0'", "image: '127.0.0.1:5000/tyk-portal:v1.11.0'")
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) == 'rw-r-----'
        outputs.file == file.toString()
        outputs.service == 'tyk-portal'
        outputs.image == '127.0.0.1:5000/tyk-portal:v1.11.0'
        outputs.previousImage == 'tykio/portal:v1.10.0'
        outputs.changed == true
        outputs.backup == ctx.artifactsDir().resolve(StepArgs.fileName('upgrade/set-tag')).resolve('docker-compose.yaml.orig').toString()
        Files.readString(Path.of(outputs.backup)) == TYK
        outputs.originalSha256 == ComposeFile.sha256(TYK.bytes)
        outputs.sha256 == ComposeFile.sha256(Files.readAllBytes(file))
        ctx.lines == ["set the image of service tyk-portal in $file (line 7): tykio/portal:v1.10.0 -> 127.0.0.1:5000/tyk-portal:v1.11.0; original saved in ${outputs.backup}".toString()]

        when: 'the compensation runs with the outputs the journal kept'
        ctx.ownOutputs = outputs
        Map undone = step(image: 'ignored:1').compensation().action().execute(ctx)

        then: 'the original bytes are back, permissions too'
        Files.readAllBytes(file) == TYK.bytes
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) == 'rw-r-----'
        undone.restored == true
        undone.image == 'tykio/portal:v1.10.0'
        ctx.lines.last().startsWith("restored $file from ${outputs.backup} (sha256 ${outputs.originalSha256} verified)")

        when: 'the compensation runs again (a resumed rollback)'
        Map again = step(image: 'ignored:1').compensation().action().execute(ctx)

        then:
        Files.readAllBytes(file) == TYK.bytes
        again.restored == false
    }

    @Unroll
    def "#layout: the value is replaced as it is written"() {
        given:
        Path file = compose(before)

        when:
        Map outputs = step(image: 'reg:5000/portal:2').action().execute(ctx)

        then:
        Files.readString(file) == after
        outputs.previousImage == previous

        where:
        layout                            | before                                                                                     | after                                                                                      | previous
        'double quotes'                   | 'services:\n  tyk-portal:\n    image: "portal:1"\n'                                        | 'services:\n  tyk-portal:\n    image: "reg:5000/portal:2"\n'                               | 'portal:1'
        'plain value with a comment'      | 'services:\n  tyk-portal:\n    image: portal:1  # old\n    restart: always\n'             | 'services:\n  tyk-portal:\n    image: reg:5000/portal:2  # old\n    restart: always\n'    | 'portal:1'
        'version 1: services at the top'  | 'db:\n  image: postgres:15\ntyk-portal:\n  image: portal:1\n  links: [db]\n'               | 'db:\n  image: postgres:15\ntyk-portal:\n  image: reg:5000/portal:2\n  links: [db]\n'      | 'portal:1'
        'CRLF line endings, no last EOL'  | 'services:\r\n  tyk-portal:\r\n    image: portal:1\r\n    user: "1000"'                   | 'services:\r\n  tyk-portal:\r\n    image: reg:5000/portal:2\r\n    user: "1000"'            | 'portal:1'
        'quoted key, four spaces, tail'   | '---\nservices:\n    "tyk-portal" :\n        ports:\n        - 80:80\n        image: portal:1\n' | '---\nservices:\n    "tyk-portal" :\n        ports:\n        - 80:80\n        image: reg:5000/portal:2\n' | 'portal:1'
        'same key in another service'     | 'services:\n  web:\n    image: portal:1\n  tyk-portal:\n    command: ["image: x"]\n    image: p:1\n' | 'services:\n  web:\n    image: portal:1\n  tyk-portal:\n    command: ["image: x"]\n    image: reg:5000/portal:2\n' | 'p:1'
    }

    def "tag replaces only the tag (and drops a digest)"() {
        given:
        Path file = compose("services:\n  tyk-portal:\n    image: $previous\n")

        when:
        Map outputs = step(tag: 'v1.11.0').action().execute(ctx)

        then:
        Files.readString(file) == "services:\n  tyk-portal:\n    image: $expected\n"
        outputs.image == expected

        where:
        previous                                 | expected
        '127.0.0.1:5000/tyk/portal:v1.10.0'      | '127.0.0.1:5000/tyk/portal:v1.11.0'
        'tykio/portal'                           | 'tykio/portal:v1.11.0'
        "tykio/portal@sha256:${'a' * 64}"        | 'tykio/portal:v1.11.0'
    }

    def "run again in the same run, the step keeps the first original, and the compensation restores it"() {
        given:
        Path file = compose(TYK)

        when:
        Map first = step(image: 'portal:2').action().execute(ctx)
        Map second = step(image: 'portal:2').action().execute(ctx)

        then:
        second.previousImage == 'tykio/portal:v1.10.0'
        second.originalSha256 == ComposeFile.sha256(TYK.bytes)
        second.sha256 == first.sha256
        second.changed == true
        ctx.lines.last() == "service tyk-portal in $file already names portal:2"

        when:
        ctx.ownOutputs = second
        step(image: 'portal:2').compensation().action().execute(ctx)

        then:
        Files.readAllBytes(file) == TYK.bytes
    }

    def "an image the file already names changes nothing, and its compensation leaves the file alone"() {
        given:
        Path file = compose(TYK)

        when:
        Map outputs = step(image: 'tykio/portal:v1.10.0').action().execute(ctx)

        then:
        outputs.changed == false
        Files.readAllBytes(file) == TYK.bytes

        when:
        Files.writeString(file, TYK + '# edited later\n')
        ctx.ownOutputs = outputs
        step(image: 'x:1').compensation().action().execute(ctx)

        then:
        Files.readString(file) == TYK + '# edited later\n'
        ctx.lines.last() == "nothing to undo: $file already named tykio/portal:v1.10.0"
    }

    def "a file edited after the step makes the compensation refuse, naming the saved original"() {
        given:
        Path file = compose(TYK)
        Map outputs = step(image: 'portal:2').action().execute(ctx)
        String edited = Files.readString(file).replace('container_name: tyk-portal', 'container_name: portal-by-hand')
        Files.writeString(file, edited)
        ctx.ownOutputs = outputs

        when:
        step(image: 'portal:2').compensation().action().execute(ctx)

        then:
        def e = thrown(StepFailedException)
        e.message == "refusing to restore $file: it was changed after step 'upgrade/set-tag' wrote it " +
                "(sha256 ${ComposeFile.sha256(edited.bytes)}, the step wrote ${outputs.sha256}), and restoring would " +
                "discard that change. Its original is saved in ${outputs.backup}: compare the two, copy the original " +
                "back (or merge by hand), then run the rollback again"
        Files.readString(file) == edited
        Files.readString(Path.of(outputs.backup)) == TYK
    }

    def "the probe accepts the edit once the original is saved, and not before"() {
        given:
        compose(TYK)
        Step set = step(image: 'portal:2')

        expect:
        !set.probe().check(ctx).isPresent()

        when:
        Map outputs = set.action().execute(ctx)

        then:
        set.probe().check(ctx).get() == outputs
        !step(image: 'portal:3').probe().check(ctx).isPresent()
    }

    def "a missing service is named, with the services there are and a suggestion"() {
        given:
        compose(TYK)

        when:
        DockerTestbed.step('composeSetImage', 's', [file: 'docker-compose.yaml', service: 'tyk-portl', image: 'p:2'])
                .build().action().execute(ctx)

        then:
        def e = thrown(StepFailedException)
        e.message == "no service 'tyk-portl' in ${dir.resolve('docker-compose.yaml')}: did you mean 'tyk-portal'? " +
                '(services: tyk-portal, tyk-portal-db)'
        !Files.exists(dir.resolve('artifacts'))
    }

    @Unroll
    def "refused: #why"() {
        given:
        Path file = compose(text)

        when:
        step(image: 'p:2').action().execute(ctx)

        then:
        def e = thrown(StepFailedException)
        e.message == message.replace('FILE', file.toString())
        Files.readString(file) == text

        where:
        why                      | text                                                                         | message
        'built from source'      | 'services:\n  tyk-portal:\n    build: ./portal\n    ports: ["3001:3001"]\n' | "service 'tyk-portal' in FILE has no image: line to set: it is built from source (build: on line 3). Give it an image: line naming the image to run, or upgrade it another way"
        'image from a merge key' | 'x-portal: &portal\n  image: p:1\nservices:\n  tyk-portal:\n    <<: *portal\n' | "service 'tyk-portal' in FILE has no image: line to set: it may take one from a YAML merge key (<< on line 5), which is not followed. Write the image: line in the service itself"
        'a variable'             | 'services:\n  tyk-portal:\n    image: tykio/portal:${PORTAL_TAG}\n'          | "cannot edit FILE: line 3: the image of service 'tyk-portal' comes from a variable ('tykio/portal:\${PORTAL_TAG}'): set the variable (in .env or the environment) instead, or write the image in the file"
        'flow style'             | 'services: {tyk-portal: {image: "p:1"}}\n'                                   | "cannot edit FILE: line 1: services: is written as '{tyk-portal: {image: \"p:1\"}}'; only a block mapping (one service per line below it) can be edited"
        'an alias'               | 'x: &img p:1\nservices:\n  tyk-portal:\n    image: *img\n'                    | "cannot edit FILE: line 4: the image of service 'tyk-portal' is a YAML alias (*img), which is not followed"
        'a tab'                  | 'services:\n  tyk-portal:\n\timage: p:1\n'                                   | 'cannot edit FILE: line 3: a tab in the indentation (YAML indents with spaces)'
        'two image lines'        | 'services:\n  tyk-portal:\n    image: p:1\n    image: p:2\n'                 | "cannot edit FILE: line 4: service 'tyk-portal' has a second image: line (the first is line 3)"
        'a multi-line value'     | 'services:\n  tyk-portal:\n    image: >-\n      p:1\n'                         | "cannot edit FILE: line 3: the image of service 'tyk-portal' is not a plain name:tag value ('>-')"
    }

    def "a missing compose file is named"() {
        when:
        step(image: 'p:2').action().execute(ctx)

        then:
        def e = thrown(StepFailedException)
        e.message == "compose file ${dir.resolve('docker-compose.yaml')} does not exist"
    }

    def "an image that is not a reference is refused before the file changes"() {
        given:
        Path file = compose(TYK)

        when:
        step(image: 'portal:2 # sneaky').action().execute(ctx)

        then:
        def e = thrown(StepFailedException)
        e.message == "image 'portal:2 # sneaky' is not an image reference (registry/name:tag)"
        Files.readAllBytes(file) == TYK.bytes
    }

    def "exactly one of image and tag"() {
        when:
        DockerTestbed.step('composeSetImage', 'set-tag', [file: 'f.yaml', service: 's'] + args)

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "composeSetImage 'set-tag': give exactly one of image (the whole reference, registry/name:tag) " +
                'or tag (only the tag of the image the file names)'

        where:
        args << [[:], [image: 'p:1', tag: '2']]
    }
}
