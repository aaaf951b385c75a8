-- Series invitations (issue 18): each session's one invitation to the followers of its series, sent through
-- the ledger (topic 'invite:<session>') when sign-up opens (sessions.opens_at), or at once when the session
-- is created or put in the series while already open. Planned again when the opening time or the series
-- changes; once fired, never again for that session.
create table series_invitations (
    session_id  bigint primary key references sessions (id),
    -- The series it was planned (or fired) for, the time it fires and its Hangfire job. 'idle': nothing
    -- planned (no series, cancelled, started); 'scheduled': a job is planted (job_id null for a moment
    -- between the plan's commit and the planting); 'fired': the followers were added to the ledger.
    series_id   bigint references series (id),
    due_at      timestamptz,
    job_id      text,
    state       text not null default 'idle' check (state in ('idle', 'scheduled', 'fired')),
    fired_at    timestamptz
);

-- Planted again at start-up: the invitations still to go.
create index series_invitations_scheduled on series_invitations (session_id) where state = 'scheduled';

-- Follows are member data: should a member (or a series) ever be deleted, their follows go with them.
alter table series_follows drop constraint series_follows_member_id_fkey;
alter table series_follows add constraint series_follows_member_id_fkey foreign key (member_id) references members (id) on delete cascade;
alter table series_follows drop constraint series_follows_series_id_fkey;
alter table series_follows add constraint series_follows_series_id_fkey foreign key (series_id) references series (id) on delete cascade;
