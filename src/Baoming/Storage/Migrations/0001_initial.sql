-- Members: everyone who has written to the bot. The id is the Telegram user id.
create table members (
    id              bigint primary key,
    username        text,
    display_name    text not null,
    language_code   text,
    first_seen_at   timestamptz not null default now(),
    -- Set when Telegram answers 403 (blocked, deactivated): never message them again.
    unreachable_at  timestamptz
);

create table sessions (
    id                bigint generated always as identity primary key,
    key               text not null unique check (key ~ '^[A-Za-z0-9_-]{1,64}$'),
    title             text not null,
    aliases           text[] not null default '{}',
    starts_at         timestamptz not null,
    duration_minutes  integer not null check (duration_minutes > 0),
    capacity          integer not null default 0 check (capacity >= 0),
    join_url          text,
    description       text,
    reminder_offsets  interval[],
    cancelled_at      timestamptz,
    -- Where the session was defined: 'config' (upserted at start-up) or 'chat' (by an organizer).
    source            text not null default 'config' check (source in ('config', 'chat')),
    -- Seat counters, kept in step with registrations under the session's row lock, so a
    -- sign-up never has to count a 100,000-row table.
    confirmed_count   integer not null default 0 check (confirmed_count >= 0),
    waitlisted_count  integer not null default 0 check (waitlisted_count >= 0),
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now()
);

create index sessions_upcoming on sessions (starts_at) where cancelled_at is null;

create table registrations (
    id              bigint generated always as identity primary key,
    session_id      bigint not null references sessions (id),
    member_id       bigint not null references members (id),
    status          text not null check (status in ('confirmed', 'waitlisted', 'cancelled')),
    registered_at   timestamptz not null default now(),
    cancelled_at    timestamptz,
    -- Order on the waitlist: smaller goes first. Null unless waitlisted.
    waitlist_seq    bigint,
    -- One registration per member and session: signing up twice cannot create a second row.
    constraint registrations_one_per_member unique (session_id, member_id)
);

create sequence waitlist_seq;
create index registrations_waitlist on registrations (session_id, waitlist_seq) where status = 'waitlisted';
create index registrations_member on registrations (member_id) where status <> 'cancelled';

-- Every update Telegram delivered, stored before it is acknowledged. The primary key makes a
-- re-delivered update_id a no-op.
create table inbox (
    update_id     bigint primary key,
    chat_id       bigint not null,
    payload       jsonb not null,
    received_at   timestamptz not null default now(),
    processed_at  timestamptz
);

create index inbox_unprocessed on inbox (update_id) where processed_at is null;
