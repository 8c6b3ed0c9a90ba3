-- Old event slugs that now live under another: a permalink that was cited
-- keeps working (the site answers it with a permanent redirect).
CREATE TABLE slug_redirects (
	old TEXT PRIMARY KEY,
	new TEXT NOT NULL
) STRICT, WITHOUT ROWID;
