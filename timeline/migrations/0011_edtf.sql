-- Event dates in EDTF (see timeline/edtf.go). The one "approximate" flag
-- becomes the qualifier ~ on both dates, as it marked the whole span
-- ("c. 1959–1984" is 1959~/1984~), and goes. qual keeps what the dates say
-- of their certainty together (1 uncertain, 2 approximate, 3 both), so
-- that certainty=certain can leave out every qualified event; lo and hi
-- stay the widest reading (198X: 1980-01-01 to 1989-12-31) on the indexes.
ALTER TABLE events ADD COLUMN qual INTEGER NOT NULL DEFAULT 0;
UPDATE events SET start = start || '~',
	"end" = CASE WHEN "end" = '' THEN '' ELSE "end" || '~' END,
	qual = 2
WHERE approximate <> 0;
ALTER TABLE events DROP COLUMN approximate;
