package io.lockstep.cli

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * The database steps as `lockstep plan` shows them: found on the CLI's class path, the backup with
 * its undo and the warning that a rollback discards later writes, and the rollback in the order of
 * the Tyk portal's rollback guide: stop the new portal, restore the database, start the previous one.
 */
class DatabasePlanSpec extends Specification {

    @TempDir
    Path dir

    def "plan shows the database backup, its undo and the data a rollback would lose"() {
        given:
        Files.createDirectories(dir.resolve('env'))
        Files.writeString(dir.resolve('env/prod.groovy'), """\
            environment('prod') {
                secrets { dbPassword 'PORTAL_DB_PASSWORD' }
            }
            """.stripIndent())
        Path playbook = dir.resolve('portal.groovy')
        Files.writeString(playbook, """\
            playbook('tyk-portal') {
                phase('stop') {
                    step('portal') {
                        run { ctx -> [:] }
                        compensate('start the previous portal') { run { ctx -> } }
                    }
                }
                phase('backup') {
                    backupDatabase 'portal-db', engine: 'postgres', host: '10.0.0.5', port: 5432,
                        database: 'portal', user: 'portal', password: secret('dbPassword')
                }
                phase('upgrade') {
                    step('portal') {
                        run { ctx -> [:] }
                        compensate('stop the new portal') { run { ctx -> } }
                    }
                }
            }
            """.stripIndent())

        when:
        def result = new CliFixture().run('plan', playbook.toString(), '-e', 'prod')
        def out = result.out.replace('├─ ', '+- ').replace('└─ ', '`- ').replace('│  ', '|  ')

        then:
        result.code == 0
        out =~ /(?m)^`- 2\. portal-db +dump portal from postgres at 10\.0\.0\.5:5432 as portal into the run's artifacts  \[idempotent\]$/
        out =~ /(?m)^      undo: restore portal from backup backup\/portal-db \(sha256 verified\)$/
        out =~ /(?m)^      . restoring portal discards every write made after the backup$/
        out =~ /(?ms)^Rollback plan\n.*\n  1\. upgrade\/portal +stop the new portal\n  2\. backup\/portal-db +restore portal from backup backup\/portal-db \(sha256 verified\)  . data loss\n  3\. stop\/portal +start the previous portal\n/
        out =~ /(?ms)^Data a rollback would lose\n  . backup\/portal-db: restoring portal discards every write made after the backup$/
        !out.contains('PORTAL_DB_PASSWORD=')
    }
}
