-- Retention (Storage/RetentionJob): each daily cleanup finds its old rows through an index.
-- audit_log is already covered by audit_log_at (0001).

-- Handled updates get no index on processed_at: marking an update handled then stays a HOT update
-- (no index entry to write per message), and the daily cleanup walks the primary key from the oldest
-- update instead (RetentionJob), where the rows to delete are.

-- Ledger rows in a final state by age; whether their topic still has rows to send is read from
-- deliveries_pending (0003).
create index if not exists deliveries_finished on deliveries (updated_at) where state in ('sent', 'blocked', 'failed', 'unknown');

-- Dialogues by age: those nobody finished are forgotten by reads after an hour, and deleted later.
create index if not exists dialogs_updated_at on dialogs (updated_at);

-- From now on an update loses its text, names and usernames when it is handled (InboxRepository):
-- what it was is kept (ids, kind), not what it said. Updates handled before this migration are
-- stripped the same way here, once.
update inbox
   set payload = jsonb_strip_nulls(jsonb_build_object('update_id', inbox.update_id, 'chat_id', inbox.chat_id) || coalesce((
           select jsonb_build_object(
                      'kind', u.key,
                      'from_id', (select f from (values (u.value -> 'from' -> 'id'), (u.value -> 'user' -> 'id')) as s (f)
                                   where jsonb_typeof(f) = 'number' limit 1),
                      'content', (select c from unnest(array[
                                      'text', 'photo', 'video', 'animation', 'sticker', 'voice', 'video_note', 'audio',
                                      'document', 'contact', 'location', 'venue', 'poll', 'dice', 'game', 'story',
                                      'invoice', 'paid_media', 'new_chat_members', 'left_chat_member', 'new_chat_title',
                                      'new_chat_photo', 'pinned_message', 'web_app_data', 'successful_payment',
                                      'users_shared', 'chat_shared']) with ordinality as k (c, n)
                                   where u.value -> c is not null order by n limit 1))
             from jsonb_each(case when jsonb_typeof(inbox.payload) = 'object' then inbox.payload end) as u
            where u.key <> 'update_id' and jsonb_typeof(u.value) = 'object'
            limit 1), '{}'))
 where processed_at is not null and payload is not null;
