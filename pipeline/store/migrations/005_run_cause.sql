-- The one-line cause of a run that ended in 'error' (exception type and message; never review text beyond
-- what the message holds), shown by `scr status` and in status --json's last_run.
ALTER TABLE runs ADD COLUMN cause TEXT;
