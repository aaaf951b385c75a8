-- Open dialogues: what a member's next plain text answers (e.g. the text of a broadcast being
-- written). One per member; a new one replaces the old.
create table dialogs (
    member_id   bigint primary key,
    kind        text not null,
    state       jsonb not null default '{}',
    updated_at  timestamptz not null default now()
);

-- Broadcasts by organizers: one row each, and one Hangfire fan-out job (topic 'broadcast:<id>').
create table broadcasts (
    id                 bigint generated always as identity primary key,
    author_id          bigint not null,
    audience           text not null check (audience in ('confirmed', 'waitlisted', 'upcoming', 'everyone')),
    session_id         bigint references sessions (id),
    text               text not null,
    parse_mode         text not null default 'html' check (parse_mode in ('html', 'plain')),
    scheduled_at       timestamptz,
    state              text not null default 'draft' check (state in ('draft', 'scheduled', 'sending', 'done', 'cancelled')),
    job_id             text,
    -- The organizer's status message, edited in place while sending.
    status_chat_id     bigint,
    status_message_id  bigint,
    -- Set once the recipients are in the ledger: a resumed run does not add people who joined since.
    prepared_at        timestamptz,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);

create index broadcasts_recent on broadcasts (created_at desc);
