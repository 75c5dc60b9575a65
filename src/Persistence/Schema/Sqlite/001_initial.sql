-- Workflows schema, version 1 (SQLite). Applied by SchemaMigrator inside one transaction; never edit a released
-- script: add NNN_name.sql. Keep Configurations/*.cs in agreement (SchemaAgreementTests).
-- Timestamps: INTEGER microseconds since the Unix epoch, UTC. JSON: TEXT, byte for byte as written.

CREATE TABLE runs (
    id              TEXT    NOT NULL,
    workflow        TEXT    NOT NULL,
    version         TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    input_json      TEXT    NOT NULL,
    correlation_id  TEXT    NULL,
    result_json     TEXT    NULL,
    error_json      TEXT    NULL,
    last_sequence   INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    ended_at        INTEGER NULL,
    CONSTRAINT pk_runs PRIMARY KEY (id)
);
CREATE INDEX ix_runs_status ON runs (status);
CREATE INDEX ix_runs_workflow_created_at ON runs (workflow, created_at);
CREATE INDEX ix_runs_created_at_id ON runs (created_at, id);
CREATE UNIQUE INDEX ux_runs_correlation_id ON runs (correlation_id) WHERE correlation_id IS NOT NULL;

CREATE TABLE run_items (
    run_id          TEXT    NOT NULL,
    sequence        INTEGER NOT NULL,
    type            TEXT    NOT NULL,
    recorded_at     INTEGER NOT NULL,
    json            TEXT    NOT NULL,
    CONSTRAINT pk_run_items PRIMARY KEY (run_id, sequence),
    CONSTRAINT fk_run_items_runs FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE
);

CREATE TABLE run_states (
    run_id          TEXT    NOT NULL,
    state_json      TEXT    NOT NULL,
    CONSTRAINT pk_run_states PRIMARY KEY (run_id),
    CONSTRAINT fk_run_states_runs FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE
);

CREATE TABLE tasks (
    id              TEXT    NOT NULL,
    run_id          TEXT    NOT NULL,
    workflow        TEXT    NOT NULL,
    step            TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    description     TEXT    NULL,
    form_schema     TEXT    NOT NULL,
    assignee        TEXT    NULL,
    group_name      TEXT    NULL,
    status          TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    due_at          INTEGER NULL,
    completed_by    TEXT    NULL,
    completed_at    INTEGER NULL,
    data            TEXT    NULL,
    cancel_reason   TEXT    NULL,
    on_due          TEXT    NULL,
    CONSTRAINT pk_tasks PRIMARY KEY (id),
    CONSTRAINT fk_tasks_runs FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE
);
CREATE INDEX ix_tasks_status ON tasks (status);
CREATE INDEX ix_tasks_run_id ON tasks (run_id);
CREATE INDEX ix_tasks_assignee ON tasks (assignee);
CREATE INDEX ix_tasks_group_name ON tasks (group_name);

CREATE TABLE definitions (
    name            TEXT    NOT NULL,
    version         TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    shape_hash      TEXT    NOT NULL,
    first_seen_at   INTEGER NOT NULL,
    CONSTRAINT pk_definitions PRIMARY KEY (name, version)
);
