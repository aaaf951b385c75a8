-- Personal join links (issue 17, Attendance/JoinLinks.cs): /j/<token>, where the token is one AES-256 block
-- holding the member and session ids, encrypted under this key. 32 bytes from two random UUIDs (v4: 122
-- random bits each, from PostgreSQL's strong random source since 13); one row, read once per process.
-- Rotating it (update the row, restart) turns every link sent so far into a neutral page.
create table join_link_key (
    id   smallint primary key default 1 check (id = 1),
    key  bytea not null check (length(key) = 32)
);

insert into join_link_key (key)
values (decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));

-- The first time the member opened their personal link (attendance itself is attended_at, 0015): kept
-- even when the click came too early or too late to count as attendance.
alter table registrations add column link_clicked_at timestamptz;
