package io.lockstep.dsl.internal

import groovy.transform.CompileStatic

/** The DSL's own words: how each is written and where it belongs, for error messages. */
@CompileStatic
final class Keywords {

    private Keywords() {}

    static final Map<String, String> USAGE = [
            playbook    : "playbook('name') { ... }",
            description : "description 'what this playbook does'",
            param       : "param 'name', String, required: true",
            preflight   : 'preflight { ... }',
            verify      : 'verify { ... }',
            phase       : "phase('name') { ... }",
            step        : "step('name') { run { ctx -> ...; [output: value] } }",
            onRollback  : "onRollback('name') { stepType arg: value }",
            parallel    : "parallel('name', maxConcurrency: 2) { ... }",
            branch      : "branch('name') { ... }",
            rolling     : "rolling('name', over: targets(role: 'web'), batches: [1, '25%'], maxFailures: '20%') { t -> ... }",
            approve     : "approve 'name', prompt: 'Go on?'",
            compensate  : 'compensate { stepType arg: value }  or  compensate { run { ctx -> ... } }',
            irreversible: "irreversible 'why it cannot be undone'",
            readOnly    : 'readOnly()',
            probe       : 'probe { ctx -> done ? [output: value] : null }',
            idempotent  : 'idempotent true',
            retry       : "retry attempts: 3, delay: '2s', multiplier: 2",
            timeout     : "timeout '30s'",
            dataLoss    : "dataLoss 'what a rollback discards'",
            label       : "label 'text shown in plans'",
            run         : 'run { ctx -> ...; [output: value] }',
            secret      : "secret('name')",
            targets     : "targets(), targets(role: 'web') or targets(role: 'web', dc: 'east')",
            target      : "target('name')",
            environment : "environment('name') { ... }",
            inherits    : "inherits 'base.groovy'",
            vars        : "vars { name = 'value' }",
            secrets     : "secrets { name 'REFERENCE' }",
    ].asImmutable()

    /** Where a keyword may be written. */
    static final Map<String, String> PLACE = [
            playbook    : 'at the top of a playbook file',
            description : 'directly inside playbook { }',
            param       : 'directly inside playbook { }',
            preflight   : 'directly inside playbook { }',
            verify      : 'directly inside playbook { }',
            phase       : 'directly inside playbook { }',
            step        : 'inside playbook { }, a phase, a branch or a rolling block',
            onRollback  : 'inside playbook { }, a phase, a branch or a rolling block',
            parallel    : 'inside playbook { }, a phase, a branch or a rolling block',
            rolling     : 'inside playbook { }, a phase or a branch',
            approve     : 'inside playbook { } or a phase',
            branch      : 'directly inside parallel { }',
            compensate  : "in a step's options block",
            irreversible: "in a step's options block",
            readOnly    : "in a step's options block",
            probe       : "in a step's options block",
            idempotent  : "in a step's options block",
            retry       : "in a step's options block or compensate { }",
            timeout     : "in a step's options block",
            dataLoss    : "in a step's options block",
            label       : "in a step's options block",
            run         : "inside step('name') { } or compensate { }",
            environment : 'at the top of an environment file',
            inherits    : 'directly inside environment { }',
            vars        : 'directly inside environment { }',
            secrets     : 'directly inside environment { }',
    ].asImmutable()

    /** Names a playbook script reads. */
    static final List<String> PROPERTIES = ['params', 'vars', 'env'].asImmutable()
}
