-- The job dashboard's door (Web/Dashboard.cs). A ticket is what /dashboard sends in the chat: single
-- use, two minutes. Exchanged by POST, it opens a session; the browser's cookie holds only the
-- session's random id. Both tables keep a SHA-256 of the secret, never the secret, so a copy of
-- the database lets nobody in.
create table dashboard_tickets (
    token_hash  bytea primary key,
    member_id   bigint not null,
    created_at  timestamptz not null,
    used_at     timestamptz
);

create index dashboard_tickets_created on dashboard_tickets (created_at);

-- role: the role at login, which is what the dashboard grants; a lower role now ends the session.
-- Idle and absolute expiry are checked against last_seen_at and created_at on every request.
create table dashboard_sessions (
    id_hash       bytea primary key,
    member_id     bigint not null,
    role          text not null check (role in ('organizer', 'admin')),
    created_at    timestamptz not null,
    last_seen_at  timestamptz not null,
    ended_at      timestamptz
);

create index dashboard_sessions_member on dashboard_sessions (member_id) where ended_at is null;
create index dashboard_sessions_created on dashboard_sessions (created_at);

-- ASP.NET Core Data Protection's key ring (antiforgery tokens on Hangfire's forms), shared by
-- every instance and kept across restarts (Web/DataProtectionKeys.cs). Keys are appended, never
-- changed: a revocation is a new element.
create table data_protection_keys (
    id             bigint generated always as identity primary key,
    friendly_name  text,
    xml            text not null,
    created_at     timestamptz not null default now()
);
