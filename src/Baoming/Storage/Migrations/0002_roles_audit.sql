-- Roles granted in chat by admins, beside the ones in Community:Admins / Community:Organizers.
-- Not a foreign key to members: an admin may grant a role before the person has written to the bot.
create table member_roles (
    member_id   bigint primary key,
    role        text not null check (role in ('organizer', 'admin')),
    granted_by  bigint not null,
    granted_at  timestamptz not null default now()
);

-- Every organizer and admin action: who, what, when, details.
create table audit_log (
    id        bigint generated always as identity primary key,
    at        timestamptz not null default now(),
    actor_id  bigint not null,
    action    text not null,
    details   jsonb not null default '{}'
);

create index audit_log_at on audit_log (at desc);
