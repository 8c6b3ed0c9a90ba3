package data

import (
	"fmt"

	"github.com/japan-dprk/timeline/timeline"
)

// Redirects decodes redirects.json: the slugs that shipped events have
// left (renamed in a release), each with the slug it now has, so that a
// cited permalink keeps working.
func Redirects() ([]timeline.Redirect, error) {
	var rs []timeline.Redirect
	if err := decode("redirects.json", &rs); err != nil {
		return nil, err
	}
	for i, r := range rs {
		if err := r.Validate(); err != nil {
			return nil, fmt.Errorf("data: redirects.json: redirect %d: %w", i+1, err)
		}
	}
	return rs, nil
}
