-- After the session (issue 17): each session's follow-up texts (Telegram HTML) for those who came and
-- for confirmed no-shows, and its one planned run, a set time after the end (AfterSession:Delay), which
-- sends them through the ledger (topic 'followup:<session>:<due unix>') and asks attendees for feedback.
create table after_session (
    session_id          bigint primary key references sessions (id),
    attended_html       text,
    no_show_html        text,
    -- The planned run: the end it was planned from, when it fires, its Hangfire job. 'idle': none planned
    -- (the session ended before this existed); 'fired': it ran for due_at; 'cancelled': the session was.
    ends_at             timestamptz,
    due_at              timestamptz,
    job_id              text,
    state               text not null default 'idle' check (state in ('idle', 'scheduled', 'fired', 'cancelled')),
    -- What the run sends, frozen as it fires: an edit while it goes out does not split the audience.
    fired_at            timestamptz,
    sent_attended_html  text,
    sent_no_show_html   text
);

-- Planted again at start-up: the runs still to come.
create index after_session_scheduled on after_session (session_id) where state = 'scheduled';

-- /broadcast to a started session's attendees or confirmed no-shows.
alter table broadcasts drop constraint broadcasts_audience_check;
alter table broadcasts add constraint broadcasts_audience_check
    check (audience in ('confirmed', 'waitlisted', 'upcoming', 'everyone', 'attended', 'no_shows'));
