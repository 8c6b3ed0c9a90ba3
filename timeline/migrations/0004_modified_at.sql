-- When the chronology last changed (unix seconds), for Last-Modified.
INSERT INTO meta (key, value) VALUES ('modified_at', CAST(strftime('%s', 'now') AS INTEGER));
