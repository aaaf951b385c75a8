-- Fan-out claims (issue 13). A run claims a batch of rows ahead by writing its id here; the rows stay
-- 'pending', and each moves to 'sending' only as its own send starts. So a run that fails or dies
-- leaves only the sends really in flight as 'sending' (then 'unknown'); its other claims go back to
-- the pool when the topic next runs. A run whose claim was taken back (its lock was lost with its
-- connection, and a newer run started) cannot send those rows: it only starts rows it still owns.
alter table deliveries add column claimed_by uuid;
