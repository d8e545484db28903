package io.lockstep.linux

import io.lockstep.engine.model.Step
import io.lockstep.engine.model.Target
import io.lockstep.engine.spi.StepType
import io.lockstep.ssh.SshStepType
import io.lockstep.testing.TestStepContext
import io.lockstep.testing.TestbedSettings

/** The testbed's Linux hosts as targets, and the step types of this module by name. */
class LinuxHosts {

    static Target target(int n) {
        String entry = TestbedSettings.get('HOSTS').split(',')[n - 1]
        String name = entry.substring(0, entry.lastIndexOf(':'))
        int port = entry.substring(entry.lastIndexOf(':') + 1) as int
        new Target(name, [host: TestbedSettings.get('SSH_HOST'), port: port, user: TestbedSettings.get('SSH_USER'),
                          identity: TestbedSettings.get('SSH_KEY'), knownHosts: TestbedSettings.get('KNOWN_HOSTS')])
    }

    static String packageUrl() {
        TestbedSettings.get('PACKAGE_URL_ON_HOSTS')
    }

    static Step step(String type, String id, Map args) {
        StepType found = ServiceLoader.load(StepType).find { it.name() == type }
        found.create(id, args).build()
    }

    /** Runs a shell line on the context's target with sudo; returns stdout. */
    static String sh(TestStepContext ctx, String line, List okExitCodes = [0]) {
        new SshStepType().create('sh', [shell: line, sudo: true, okExitCodes: okExitCodes]).build()
                .action().execute(ctx).stdout
    }
}
