-- Replies Telegram asked to wait for (429 for that chat): kept here and sent when due, in order per
-- chat, so a lane never waits out one chat's retry_after while other chats queue behind it.
create table deferred_replies (
    id         bigserial primary key,
    chat_id    bigint not null,
    payload    jsonb not null,
    due_at     timestamptz not null,
    created_at timestamptz not null default now()
);

create index deferred_replies_due on deferred_replies (due_at);
create index deferred_replies_chat on deferred_replies (chat_id, id);
