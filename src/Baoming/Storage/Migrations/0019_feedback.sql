-- Feedback after a session (issue 17, Feedback/). One row per member and session: a second press of the
-- 1–5 buttons changes the score, never adds a row, so the count is of people. Only a member whose
-- registration for the session is attended may have one (checked by the statement that writes it).
-- comment: optional, at most 500 characters, checked by the bot first (with a message saying so) and here
-- as the last word.
create table feedback (
    session_id    bigint not null references sessions (id),
    member_id     bigint not null references members (id),
    score         smallint not null check (score between 1 and 5),
    scored_at     timestamptz not null,
    comment       text check (char_length(comment) between 1 and 500),
    commented_at  timestamptz,
    primary key (session_id, member_id),
    constraint feedback_commented_together check ((comment is null) = (commented_at is null))
);

-- The sessions whose feedback request has gone out (the fan-out prepared), and whether the organizers'
-- results report a while later is planted. Kept apart from the delivery ledger, whose rows the retention
-- job deletes: /sessions, /feedback and the export still know a request went out.
create table feedback_requests (
    session_id       bigint primary key references sessions (id),
    requested_at     timestamptz not null,
    report_planned   boolean not null default false
);
