-- Series (issue 18): sessions held again and again under one name ("选题会"). A series has a key (deep
-- links, /editsession), a title and aliases (订阅 <alias>); from the configuration (Series) or the chat.
create table series (
    id          bigint generated always as identity primary key,
    key         text not null unique check (key ~ '^[A-Za-z0-9_-]{1,64}$'),
    title       text not null,
    aliases     text[] not null default '{}',
    created_at  timestamptz not null default now()
);

alter table sessions add column series_id bigint references series (id);
create index sessions_series on sessions (series_id, starts_at) where series_id is not null;

-- When sign-up opens; null: open from the start. Before it, readers see the session and when it opens,
-- and followers of its series are invited the moment it does.
alter table sessions add column opens_at timestamptz;

-- Who follows a series: member data (exported with the member, dropped on 退订, kept no longer than the
-- member's other data). source: the deep-link source or button it came from, as for registrations.
create table series_follows (
    member_id    bigint not null references members (id),
    series_id    bigint not null references series (id),
    followed_at  timestamptz not null default now(),
    source       text check (source ~ '^[A-Za-z0-9_-]{1,64}$'),
    primary key (member_id, series_id)
);
create index series_follows_series on series_follows (series_id);

-- A change of a session's opening time or series is a follow-up too ('session-changed'): the invitation
-- is planned again. Same function as 0010's, with one more branch.
create or replace function sessions_follow_ups() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into follow_ups (kind, argument) values ('session-created', new.id::text);
    elsif new.cancelled_at is not null and old.cancelled_at is null then
        insert into follow_ups (kind, argument) values ('session-cancelled', new.id::text);
    elsif new.starts_at <> old.starts_at and new.cancelled_at is null then
        insert into follow_ups (kind, argument)
        -- Whole seconds, truncated as .NET's ToUnixTimeSeconds does (a cast to bigint would round).
        values ('session-moved', new.id || ':' || floor(extract(epoch from old.starts_at))::bigint || ':' || floor(extract(epoch from new.starts_at))::bigint);
    elsif (new.opens_at is distinct from old.opens_at or new.series_id is distinct from old.series_id) and new.cancelled_at is null then
        insert into follow_ups (kind, argument) values ('session-changed', new.id::text);
    end if;
    return null;
end $$;

drop trigger sessions_follow_ups on sessions;
create trigger sessions_follow_ups after insert or update of starts_at, cancelled_at, opens_at, series_id on sessions
    for each row execute function sessions_follow_ups();
