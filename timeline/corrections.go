package timeline

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Correction is a reader's suggestion that an event is wrong, with the
// evidence for it. Editors accept it, by an edit of the event whose
// revision names it, or decline it with a reason; the reader follows it
// by its reference.
type Correction struct {
	Ref       string // the public reference, "K7Q2-M9XD"
	EventSlug string
	What      string // what is wrong
	Evidence  string // a source URL or a citation (required)
	Name      string // optional
	Contact   string // optional (an e-mail address, say); shown to editors only
	Status    string // open, accepted or declined
	Reason    string // why it was declined
	Version   int    // the event version that applied it
	CreatedAt time.Time
	DecidedAt time.Time
	DecidedBy string
}

// Correction statuses.
const (
	CorrectionOpen     = "open"
	CorrectionAccepted = "accepted"
	CorrectionDeclined = "declined"
)

// Limits on a correction's fields.
const (
	MaxCorrectionText = 2000 // what, evidence, reason
	MaxCorrectionName = 200  // name, contact
)

// Normalize trims the fields and makes line ends LF.
func (c *Correction) Normalize() {
	c.What, c.Evidence = strings.TrimSpace(lf(c.What)), strings.TrimSpace(lf(c.Evidence))
	c.Name, c.Contact = strings.TrimSpace(c.Name), strings.TrimSpace(c.Contact)
}

// Validate checks a suggestion from the public form, naming every
// problem by field: what, evidence, name, contact.
func (c Correction) Validate() error {
	p := problems{}
	checkLongText(p, "what", c.What, MaxCorrectionText, true)
	checkLongText(p, "evidence", c.Evidence, MaxCorrectionText, true)
	if _, bad := p["evidence"]; !bad && strings.HasPrefix(c.Evidence, "http") && !strings.ContainsAny(c.Evidence, " \n") {
		if msg := checkURL(c.Evidence); msg != "" {
			p.add("evidence", "%s", msg)
		}
	}
	checkText(p, "name", c.Name, MaxCorrectionName, false)
	checkText(p, "contact", c.Contact, MaxCorrectionName, false)
	return p.err()
}

// refAlphabet is Crockford's base 32: no I, L, O or U to misread.
const refAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newRef makes a random reference of eight characters in two groups of four.
func newRef() string {
	b := make([]byte, 8)
	rand.Read(b)
	out := make([]byte, 0, 9)
	for i, x := range b {
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, refAlphabet[int(x)%len(refAlphabet)])
	}
	return string(out)
}

// NormalizeRef reads a reference as a reader may type it: any case,
// with or without the hyphen, O for 0 and I or L for 1.
func NormalizeRef(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	s = strings.NewReplacer("-", "", " ", "", "O", "0", "I", "1", "L", "1").Replace(s)
	if len(s) != 8 {
		return s
	}
	return s[:4] + "-" + s[4:]
}

// CreateCorrection validates c and stores it as open against the live
// event c.EventSlug (ErrNotFound when there is none), giving it its
// reference.
func (s *Store) CreateCorrection(ctx context.Context, c *Correction) error {
	c.Normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM events WHERE slug = ? AND deleted_at IS NULL`, c.EventSlug).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("timeline: correction of %q: %w", c.EventSlug, ErrNotFound)
		}
		c.Status, c.CreatedAt = CorrectionOpen, s.now().UTC()
		for range 5 {
			c.Ref = newRef()
			var taken int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM corrections WHERE ref = ?`, c.Ref).Scan(&taken); err != nil {
				return err
			}
			if taken == 0 {
				_, err := tx.ExecContext(ctx, `INSERT INTO corrections (ref, event_slug, what, evidence, name, contact, status, created_at)
					VALUES (?,?,?,?,?,?,?,?)`, c.Ref, c.EventSlug, c.What, c.Evidence, c.Name, c.Contact, c.Status, formatTime(c.CreatedAt))
				return err
			}
		}
		return errors.New("timeline: correction: no free reference")
	})
}

const correctionColumns = `ref, event_slug, what, evidence, name, contact, status, reason, version, created_at, decided_at, decided_by`

func scanCorrection(row scanner) (Correction, error) {
	var c Correction
	var created, decided string
	err := row.Scan(&c.Ref, &c.EventSlug, &c.What, &c.Evidence, &c.Name, &c.Contact, &c.Status, &c.Reason, &c.Version,
		&created, &decided, &c.DecidedBy)
	if err != nil {
		return c, err
	}
	c.CreatedAt = parseTime(created)
	if decided != "" {
		c.DecidedAt = parseTime(decided)
	}
	return c, nil
}

// GetCorrection returns the correction with reference ref (as
// NormalizeRef reads it), or ErrNotFound.
func (s *Store) GetCorrection(ctx context.Context, ref string) (Correction, error) {
	c, err := scanCorrection(s.read.QueryRowContext(ctx, `SELECT `+correctionColumns+` FROM corrections WHERE ref = ?`, NormalizeRef(ref)))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("timeline: correction %q: %w", ref, ErrNotFound)
	}
	return c, err
}

// ListCorrections returns corrections with the status given, the oldest
// open first, or the most recently decided first; at most limit.
func (s *Store) ListCorrections(ctx context.Context, status string, limit int) ([]Correction, error) {
	order := `created_at, id`
	if status != CorrectionOpen {
		order = `decided_at DESC, id DESC`
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+correctionColumns+` FROM corrections WHERE status = ? ORDER BY `+order+` LIMIT ?`, status, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Correction
	for rows.Next() {
		c, err := scanCorrection(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// DeclineCorrection closes the open correction ref with the reason
// given (required, shown to the public). It returns ErrNotFound for no
// such correction and ErrConflict when it is already decided.
func (s *Store) DeclineCorrection(ctx context.Context, ref, by, reason string) error {
	reason = strings.TrimSpace(lf(reason))
	p := problems{}
	checkLongText(p, "reason", reason, MaxCorrectionText, true)
	if err := p.err(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		return decideCorrection(ctx, tx, ref, "", CorrectionDeclined, by, reason, 0, s.now())
	})
}

// decideCorrection moves an open correction (of the event slug, unless
// slug is "") to status; ErrNotFound or ErrConflict (already decided, or
// of another event) otherwise.
func decideCorrection(ctx context.Context, tx *sql.Tx, ref, slug, status, by, reason string, version int, now time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE corrections SET status = ?, reason = ?, version = ?, decided_at = ?, decided_by = ?
		WHERE ref = ? AND status = 'open' AND (? = '' OR event_slug = ?)`, status, reason, version, formatTime(now), by, ref, slug, slug)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var st, of string
	err = tx.QueryRowContext(ctx, `SELECT status, event_slug FROM corrections WHERE ref = ?`, ref).Scan(&st, &of)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("timeline: correction %q: %w", ref, ErrNotFound)
	} else if err != nil {
		return err
	}
	if st == CorrectionOpen {
		return fmt.Errorf("timeline: correction %q is of event %q, not %q: %w", ref, of, slug, ErrConflict)
	}
	return fmt.Errorf("timeline: correction %q is already %s: %w", ref, st, ErrConflict)
}

// correctionProblem says why a correction cannot be applied, for the
// edit form.
func correctionProblem(err error) string {
	if errors.Is(err, ErrNotFound) {
		return "there is no such correction"
	}
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "timeline: ")
	return strings.TrimSuffix(msg, ": "+ErrConflict.Error())
}
