-- Workflows schema, version 1 (PostgreSQL). Applied by SchemaMigrator inside one transaction; never edit a released
-- script: add NNN_name.sql. Keep Configurations/*.cs in agreement (SchemaAgreementTests).
-- Timestamps: timestamptz (UTC, microseconds). JSON: text, not jsonb: items must come back byte for byte.

CREATE TABLE runs (
    id              text        NOT NULL,
    workflow        text        NOT NULL,
    version         text        NOT NULL,
    status          text        NOT NULL,
    input_json      text        NOT NULL,
    correlation_id  text        NULL,
    result_json     text        NULL,
    error_json      text        NULL,
    last_sequence   bigint      NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    ended_at        timestamptz NULL,
    CONSTRAINT pk_runs PRIMARY KEY (id)
);
CREATE INDEX ix_runs_status ON runs (status);
CREATE INDEX ix_runs_workflow_created_at ON runs (workflow, created_at);
CREATE INDEX ix_runs_created_at_id ON runs (created_at, id);
CREATE UNIQUE INDEX ux_runs_correlation_id ON runs (correlation_id) WHERE correlation_id IS NOT NULL;

CREATE TABLE run_items (
    run_id          text        NOT NULL,
    sequence        bigint      NOT NULL,
    type            text        NOT NULL,
    recorded_at     timestamptz NOT NULL,
    json            text        NOT NULL,
    CONSTRAINT pk_run_items PRIMARY KEY (run_id, sequence),
    CONSTRAINT fk_run_items_runs FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE
);

CREATE TABLE run_states (
    run_id          text        NOT NULL,
    state_json      text        NOT NULL,
    CONSTRAINT pk_run_states PRIMARY KEY (run_id),
    CONSTRAINT fk_run_states_runs FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE
);

CREATE TABLE tasks (
    id              text        NOT NULL,
    run_id          text        NOT NULL,
    workflow        text        NOT NULL,
    step            text        NOT NULL,
    title           text        NOT NULL,
    description     text        NULL,
    form_schema     text        NOT NULL,
    assignee        text        NULL,
    group_name      text        NULL,
    status          text        NOT NULL,
    created_at      timestamptz NOT NULL,
    due_at          timestamptz NULL,
    completed_by    text        NULL,
    completed_at    timestamptz NULL,
    data            text        NULL,
    cancel_reason   text        NULL,
    on_due          text        NULL,
    CONSTRAINT pk_tasks PRIMARY KEY (id),
    CONSTRAINT fk_tasks_runs FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE
);
CREATE INDEX ix_tasks_status ON tasks (status);
CREATE INDEX ix_tasks_run_id ON tasks (run_id);
CREATE INDEX ix_tasks_assignee ON tasks (assignee);
CREATE INDEX ix_tasks_group_name ON tasks (group_name);

CREATE TABLE definitions (
    name            text        NOT NULL,
    version         text        NOT NULL,
    kind            text        NOT NULL,
    shape_hash      text        NOT NULL,
    first_seen_at   timestamptz NOT NULL,
    CONSTRAINT pk_definitions PRIMARY KEY (name, version)
);
