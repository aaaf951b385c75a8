-- Questions at sign-up (issue 17, Questions/): a session's few questions, asked one by one in the chat
-- after the seat is taken, and each member's answers.
-- A question keeps its id while its text stays the same (an edit of its choices, its place or whether it
-- is required), so its answers stay with it. A question taken out is kept with removed_at set, never
-- deleted: the answers given to it stay in the export, and the same text put back takes them up again.
-- position orders a session's current questions (1, 2, …); the caps are checked by the bot first
-- (QuestionRules, with a message naming the piece at fault) and here as the last word.
create table session_questions (
    id           bigint generated always as identity primary key,
    session_id   bigint not null references sessions (id),
    position     integer not null check (position between 1 and 10),
    text         text not null check (char_length(text) between 1 and 100),
    choices      text[] not null default '{}' check (cardinality(choices) <= 10),
    is_required  boolean not null default false,
    created_at   timestamptz not null default now(),
    removed_at   timestamptz,
    -- The text is the question's identity within its session (see above).
    constraint session_questions_one_text unique (session_id, text)
);

-- A member's answer: the text typed, or the choice as the organizer wrote it. Skipping stores nothing.
-- The answers belong to the member: kept while their registration is, for the organizers' export.
create table question_answers (
    question_id  bigint not null references session_questions (id),
    member_id    bigint not null references members (id),
    answer       text not null check (char_length(answer) between 1 and 200),
    answered_at  timestamptz not null default now(),
    primary key (question_id, member_id)
);
