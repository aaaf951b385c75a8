-- Ledger rows written ahead of their topic's due time (issue 19): a reminder slot's recipients are
-- inserted shortly before the slot is due, so the first send at the due time does not wait for
-- 100,000 inserts. Such a row is 'pending' but not sendable before not_before: the claim skips it.
-- Null (every other row) means sendable at once. Adding a nullable column rewrites nothing.
alter table deliveries add column not_before timestamptz;
