-- Handling takes turns per chat across instances: a turn reads the chat's unhandled updates in order.
create index inbox_unprocessed_by_chat on inbox (chat_id, update_id) where processed_at is null;
