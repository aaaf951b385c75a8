-- An update that cannot be stored as it came, or read when its turn comes, is recorded (its id and
-- why) and counts as handled: it is never retried, and a re-delivery of it is still a no-op.
alter table inbox
    alter column payload drop not null,
    add column skipped text;
