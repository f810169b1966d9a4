-- The dispatcher skips expired rows on every run; without this index that is a scan of
-- every pending row (measured by benchmarks/bench_reminders.py).
CREATE INDEX outbox_expiry ON outbox (expires_at) WHERE state = 'pending' AND expires_at IS NOT NULL;
