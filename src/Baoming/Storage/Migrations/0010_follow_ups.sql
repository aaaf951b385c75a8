-- What must happen after a state change, recorded in the same transaction as the change (an
-- outbox): a crash or a database error between the change and its follow-up (telling registrants,
-- re-planting reminders, planting a broadcast's job) can no longer lose the follow-up.
-- FollowUpRunner carries out what is recorded and not yet done; every follow-up is safe to repeat.
create table follow_ups (
    id          bigint generated always as identity primary key,
    kind        text not null,
    argument    text not null,
    created_at  timestamptz not null default now(),
    attempts    int not null default 0,
    last_error  text,
    done_at     timestamptz
);

create index follow_ups_waiting on follow_ups (id) where done_at is null;

-- Sessions: created, moved (start time changed) or cancelled, from the chat or the configuration.
create function sessions_follow_ups() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into follow_ups (kind, argument) values ('session-created', new.id::text);
    elsif new.cancelled_at is not null and old.cancelled_at is null then
        insert into follow_ups (kind, argument) values ('session-cancelled', new.id::text);
    elsif new.starts_at <> old.starts_at and new.cancelled_at is null then
        insert into follow_ups (kind, argument)
        -- Whole seconds, truncated as .NET's ToUnixTimeSeconds does (a cast to bigint would round).
        values ('session-moved', new.id || ':' || floor(extract(epoch from old.starts_at))::bigint || ':' || floor(extract(epoch from new.starts_at))::bigint);
    end if;
    return null;
end $$;

create trigger sessions_follow_ups after insert or update of starts_at, cancelled_at on sessions
    for each row execute function sessions_follow_ups();

-- Broadcasts: released by an organizer, to go out now (sending) or later (scheduled).
create function broadcasts_follow_ups() returns trigger language plpgsql as $$
begin
    if new.state in ('scheduled', 'sending') and old.state = 'draft' then
        insert into follow_ups (kind, argument) values ('broadcast-released', new.id::text);
    end if;
    return null;
end $$;

create trigger broadcasts_follow_ups after update of state on broadcasts
    for each row execute function broadcasts_follow_ups();
