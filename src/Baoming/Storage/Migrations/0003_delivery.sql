-- The per-recipient delivery ledger: one row per (topic, member) under a unique constraint, so a
-- retried job, a restarted process or a second instance never sends the same thing twice.
-- topic: 'reminder:<slot id>', 'moved:<session id>:<unix start>', 'cancelled:<session id>',
-- 'broadcast:<id>', 'report:<topic>' ...
create table deliveries (
    id                   bigint generated always as identity primary key,
    topic                text not null,
    member_id            bigint not null,
    -- Which wording the member gets within the topic, e.g. confirmed vs waitlisted.
    variant              smallint not null default 0,
    state                text not null default 'pending'
                         check (state in ('pending', 'sending', 'sent', 'blocked', 'failed', 'unknown')),
    telegram_message_id  bigint,
    updated_at           timestamptz not null default now(),
    constraint deliveries_once unique (topic, member_id)
);

create index deliveries_pending on deliveries (topic, id) where state in ('pending', 'sending');

-- Reminder slots: one per (session, offset before the start), each fired by one Hangfire job.
create table reminder_slots (
    id          bigint generated always as identity primary key,
    session_id  bigint not null references sessions (id),
    "offset"    interval not null,
    due_at      timestamptz not null,
    job_id      text,
    state       text not null default 'scheduled' check (state in ('scheduled', 'done', 'cancelled')),
    constraint reminder_slots_one_per_offset unique (session_id, "offset")
);

-- The global send rate limiter shared by every instance: each send reserves a time slot, and
-- next_at is where the next free slot begins.
create table rate_limits (
    name     text primary key,
    next_at  timestamptz not null default now()
);

insert into rate_limits (name) values ('telegram');

-- "我会参加" from a reminder.
alter table registrations add column attending_at timestamptz;
