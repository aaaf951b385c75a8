-- Readers' words to the organizers (留言 / 建议, Notes/), and the organizers' one answer to each.
-- text and answer: at most 2000 characters, checked by the bot first (with a message saying so) and here
-- as the last word. answered_at, answered_by and answer are set together, once: the first organizer
-- to answer wins, a second is told who did (the update's "answered_at is null" decides).
create table notes (
    id           bigint generated always as identity primary key,
    member_id    bigint not null,
    text         text not null check (char_length(text) between 1 and 2000),
    created_at   timestamptz not null default now(),
    answered_at  timestamptz,
    answered_by  bigint,
    answer       text check (char_length(answer) between 1 and 2000),
    constraint notes_answered_together check ((answered_at is null) = (answered_by is null) and (answered_at is null) = (answer is null))
);

-- /inbox: the unanswered ones, newest first.
create index notes_unanswered on notes (id desc) where answered_at is null;
